"""What changed between two instrument versions: weights, ladders, facts and rules, indicator by indicator.

The admin sees this side by side before storing a new version, so a weight typed wrongly or a
ladder pasted into the wrong indicator shows up before any period uses it.
"""
from __future__ import annotations

from dataclasses import dataclass

from .facts import KIND_LABELS, Fact
from .loader import Indicator, Instrument, Variant

DARING_LABEL = "Varian daring"


@dataclass(frozen=True)
class Change:
    part: str  # what changed, in Indonesian ("Bobot", "Level 3", "Fakta 'ada'", ...)
    old: str
    new: str


@dataclass(frozen=True)
class ItemDiff:
    code: str
    title: str
    status: str  # "added", "removed" or "changed"
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class InstrumentDiff:
    old_code: str
    new_code: str
    general: tuple[Change, ...] = ()  # name, legal basis, aspect names and weights
    items: tuple[ItemDiff, ...] = ()
    unchanged: int = 0  # items present in both without any change

    @property
    def empty(self) -> bool:
        return not self.general and not self.items

    @property
    def weights_changed(self) -> bool:
        """Whether scores could differ: a weight changed, or an aspect or item came or went."""
        return (any(c.part.startswith(("Bobot aspek", "Aspek ")) for c in self.general)
                or any(d.status != "changed" or any(c.part == "Bobot" for c in d.changes) for d in self.items))


def compare(old: Instrument, new: Instrument) -> InstrumentDiff:
    general: list[Change] = []
    _note(general, "Nama instrumen", old.name, new.name)
    _note(general, "Dasar hukum", old.legal_basis, new.legal_basis)
    old_aspects = {a.code: a for a in old.aspects}
    for aspect in new.aspects:
        before = old_aspects.pop(aspect.code, None)
        if before is None:
            general.append(Change(f"Aspek {aspect.code}", "–", f"{aspect.name} (bobot {_weight(aspect.weight)})"))
            continue
        _note(general, f"Nama aspek {aspect.code}", before.name, aspect.name)
        _note(general, f"Bobot aspek {aspect.code}", _weight(before.weight), _weight(aspect.weight))
    for aspect in old_aspects.values():
        general.append(Change(f"Aspek {aspect.code}", f"{aspect.name} (bobot {_weight(aspect.weight)})", "–"))
    items, unchanged = _compare_items(old, new)
    return InstrumentDiff(old.code, new.code, tuple(general), tuple(items), unchanged)


def _compare_items(old: Instrument, new: Instrument) -> tuple[list[ItemDiff], int]:
    before = {item.code: item for item in old.all_items}
    diffs, unchanged = [], 0
    for item in new.all_items:
        previous = before.pop(item.code, None)
        if previous is None:
            diffs.append(ItemDiff(item.code, item.title, "added"))
            continue
        changes = _item_changes(previous, item)
        if changes:
            diffs.append(ItemDiff(item.code, item.title, "changed", tuple(changes)))
        else:
            unchanged += 1
    diffs += [ItemDiff(item.code, item.title, "removed") for item in before.values()]
    return diffs, unchanged


def _item_changes(old: Indicator, new: Indicator) -> list[Change]:
    changes: list[Change] = []
    _note(changes, "Bobot", _weight(old.weight), _weight(new.weight))
    if old.aspect_code != new.aspect_code:
        changes.append(Change("Aspek", old.aspect_code or "informasi tambahan", new.aspect_code or "informasi tambahan"))
    _asked_changes(changes, old, new, "")
    if (old.daring is None) != (new.daring is None):
        changes.append(Change(DARING_LABEL, _variant_summary(old.daring), _variant_summary(new.daring)))
    elif old.daring is not None:
        _note(changes, f"{DARING_LABEL}: status", _variant_status(old.daring), _variant_status(new.daring))
        _asked_changes(changes, old.daring, new.daring, f"{DARING_LABEL}: ")
    return changes


def _asked_changes(changes: list[Change], old: Indicator | Variant, new: Indicator | Variant, prefix: str) -> None:
    _note(changes, f"{prefix}Judul", old.title, new.title)
    _note(changes, f"{prefix}Pertanyaan", old.question, new.question)
    for level, (before, after) in enumerate(zip(old.levels, new.levels, strict=True)):
        _note(changes, f"{prefix}Level {level}", before, after)
    _note(changes, f"{prefix}Bukti dukung", "\n".join(old.evidence), "\n".join(new.evidence))
    _note(changes, f"{prefix}Penjelasan", "\n".join(old.explanation), "\n".join(new.explanation))
    _fact_changes(changes, old.facts, new.facts, prefix)
    old_rule = [c.text() for c in old.rule.conditions] if old.rule else []
    new_rule = [c.text() for c in new.rule.conditions] if new.rule else []
    if not old_rule or not new_rule:
        if old_rule != new_rule:
            changes.append(Change(f"{prefix}Cara menjawab", _answering(bool(old_rule)), _answering(bool(new_rule))))
        return
    for level, (before, after) in enumerate(zip(old_rule, new_rule, strict=True)):
        _note(changes, f"{prefix}Syarat level {level}", before, after)


def _fact_changes(changes: list[Change], old: tuple[Fact, ...], new: tuple[Fact, ...], prefix: str) -> None:
    before = {fact.key: fact for fact in old}
    for fact in new:
        previous = before.pop(fact.key, None)
        label = f"{prefix}Fakta '{fact.key}'"
        if previous is None:
            changes.append(Change(label, "–", _fact_summary(fact)))
        elif previous != fact:
            changes.append(Change(label, _fact_summary(previous), _fact_summary(fact)))
    for fact in before.values():
        changes.append(Change(f"{prefix}Fakta '{fact.key}'", _fact_summary(fact), "–"))


def _fact_summary(fact: Fact) -> str:
    lines = [f"{KIND_LABELS[fact.kind]}: {fact.question}"]
    lines += [f"• {o.label}{' (lainnya, disebutkan)' if o.other else ''}" for o in fact.options]
    if fact.explanation:
        lines.append(f"Penjelasan: {fact.explanation}")
    if fact.evidence:
        lines.append(f"Bukti: {fact.evidence}")
    return "\n".join(lines)


def _variant_summary(variant: Variant | None) -> str:
    return "–" if variant is None else f"{variant.title} ({_variant_status(variant)})"


def _variant_status(variant: Variant) -> str:
    return f"tertunda: {variant.pending}" if variant.pending else "lengkap"


def _answering(has_facts: bool) -> str:
    return "Menjawab fakta F-01" if has_facts else "Memilih level"


def _weight(value) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def _note(changes: list[Change], part: str, old: str, new: str) -> None:
    if old != new:
        changes.append(Change(part, old or "–", new or "–"))
