"""Surveys of a unit and period: whether the public form is open, storing responses, and the numbers per unit,
per service type and Pemda-wide. The numbers come from skm.py and f03.py; SQL only adds up. Functions flush; the
view owns the commit."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import sqlalchemy as sa
from flask import abort
from sqlalchemy.dialects import postgresql, sqlite

from ..domain import f03, skm
from ..domain.lifecycle import ActionRefused
from ..domain.models import Assessment, AssessmentStatus, Channel, Period, SurveyResponse, SurveySettings, Unit, User, utcnow
from ..domain.models.surveys import F03_COLUMNS, SKM_COLUMNS
from ..domain.scoring import Score
from ..domain.skm import round_half_up
from ..extensions import db
from .profile import AGE_GROUPS, NOT_STATED, PROFILE_FIELDS, age_group


def settings_for(unit: Unit, period: Period) -> SurveySettings:
    """The unit's settings for the period; the defaults (not stored) while it has saved none."""
    found = db.session.scalar(sa.select(SurveySettings).where(SurveySettings.unit_id == unit.id,
                                                              SurveySettings.period_id == period.id))
    return found or default_settings(unit, period)


def default_settings(unit: Unit, period: Period) -> SurveySettings:
    return SurveySettings(unit_id=unit.id, period_id=period.id, f03_form=f03.LURING, service_types=[],
                          follow_up_plan="")


def public_survey_or_404(year: int, unit_id: int) -> tuple[Unit, Period, SurveySettings]:
    """The unit, the period of that year and the unit's settings, in one query (the public form's hot path)."""
    if not 0 < year < 10_000:
        abort(404)
    settings_of_unit = sa.and_(SurveySettings.unit_id == Unit.id, SurveySettings.period_id == Period.id)
    found = db.session.execute(sa.select(Unit, Period, SurveySettings).select_from(Unit).join(Period, Period.year == year)
                               .outerjoin(SurveySettings, settings_of_unit).where(Unit.id == unit_id)).first()
    if found is None:
        abort(404)
    unit, period, settings = found
    return unit, period, settings or default_settings(unit, period)


def closed_reason(unit: Unit, period: Period, today: date) -> str | None:
    """Why the public form takes no responses now, or None while it does: the survey lives as long as the period."""
    if not unit.active:
        return f"{unit.name} tidak lagi menerima survei melalui aplikasi ini."
    if not period.is_open:
        return f"Survei {unit.name} tahun {period.year} sudah ditutup bersama periode evaluasinya. Terima kasih."
    if today < period.opens_on:
        return f"Survei {unit.name} tahun {period.year} belum dibuka."
    return None


def record_response(unit: Unit, period: Period, settings: SurveySettings, *, skm_answers: list[int | None],
                    f03_answers: list[int | None], profile: dict, channel: Channel, answered_on: date,
                    nonce: str | None = None, entered_by: User | None = None) -> bool:
    """Store one response; False when this form's nonce is stored already (the same form sent twice)."""
    values = dict(unit_id=unit.id, period_id=period.id, channel=channel, entered_by_id=entered_by.id if entered_by else None,
                  submitted_at=utcnow(), answered_on=answered_on, form_nonce=nonce, f03_form=settings.f03_form,
                  **SurveyResponse.answer_columns(skm_answers, f03_answers), **profile)
    if nonce is None:
        db.session.add(SurveyResponse(**values))
        db.session.flush()
        return True
    # INSERT ... ON CONFLICT DO NOTHING: a repeat never aborts the transaction (PostgreSQL) or races another worker.
    return db.session.execute(_insert_ignoring_repeats(db.engine.dialect.name), values).rowcount == 1


@functools.cache
def _insert_ignoring_repeats(dialect: str):
    """Built once per dialect: the public form's hot path only binds its values (measured: docs/benchmarks.md)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(SurveyResponse.__table__).on_conflict_do_nothing(index_elements=["form_nonce"])


def save_settings(settings: SurveySettings, *, f03_form: str, population: int | None, service_types: list[str],
                  user: User) -> None:
    if f03_form != settings.f03_form and _has_responses(settings.unit_id, settings.period_id):
        raise ActionRefused("Formulir F-03 tidak dapat diganti setelah ada responden: jawaban yang sudah masuk "
                            "mengikuti formulir yang lama.")
    settings.f03_form, settings.population, settings.service_types = f03_form, population, service_types
    settings.updated_by_id = user.id
    db.session.add(settings)
    db.session.flush()


def save_period_settings(period: Period, *, min_respondents: int, f03_share: int) -> None:
    period.survey_min_respondents, period.f03_share = min_respondents, f03_share
    db.session.flush()


def save_follow_up(settings: SurveySettings, plan: str, user: User) -> None:
    settings.follow_up_plan, settings.updated_by_id = plan, user.id
    db.session.add(settings)
    db.session.flush()


def _has_responses(unit_id: int, period_id: int) -> bool:
    query = sa.select(SurveyResponse.id).where(SurveyResponse.unit_id == unit_id,
                                                SurveyResponse.period_id == period_id).limit(1)
    return db.session.scalar(query) is not None


# --- the numbers --------------------------------------------------------------------------------------------------

def _any_answered(columns) -> sa.ColumnElement[bool]:
    return sa.or_(*(getattr(SurveyResponse, name).is_not(None) for name in columns))


def _sums_and_counts(columns) -> list:
    return [expression for name in columns for expression in
            (sa.func.sum(getattr(SurveyResponse, name)), sa.func.count(getattr(SurveyResponse, name)))]


def _split(row, start: int, size: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    values = [int(value or 0) for value in row[start:start + 2 * size]]
    return tuple(values[0::2]), tuple(values[1::2])


def skm_tallies(period: Period, *group_by, unit_id: int | None = None) -> dict[tuple, skm.Tally]:
    """SKM tallies of the period's responses that answered some unsur, grouped by the given columns."""
    query = (sa.select(*group_by, sa.func.count(), *_sums_and_counts(SKM_COLUMNS))
             .where(SurveyResponse.period_id == period.id, _any_answered(SKM_COLUMNS)).group_by(*group_by))
    if unit_id is not None:
        query = query.where(SurveyResponse.unit_id == unit_id)
    tallies = {}
    for row in db.session.execute(query):
        keys = tuple(row[:len(group_by)])
        sums, counts = _split(row, len(group_by) + 1, len(SKM_COLUMNS))
        tallies[keys] = skm.Tally(row[len(group_by)], sums, counts)
    return tallies


def f03_tallies(period: Period, unit_id: int | None = None) -> dict[tuple[int, str], f03.Tally]:
    """F-03 tallies per (unit, form) of the period's responses that answered some statement."""
    query = (sa.select(SurveyResponse.unit_id, SurveyResponse.f03_form, sa.func.count(), *_sums_and_counts(F03_COLUMNS))
             .where(SurveyResponse.period_id == period.id, _any_answered(F03_COLUMNS))
             .group_by(SurveyResponse.unit_id, SurveyResponse.f03_form))
    if unit_id is not None:
        query = query.where(SurveyResponse.unit_id == unit_id)
    tallies = {}
    for row in db.session.execute(query):
        size = len(f03.items_of(row.f03_form))
        sums, counts = _split(row, 3, len(F03_COLUMNS))
        tallies[(row.unit_id, row.f03_form)] = f03.Tally(row.f03_form, row[2], sums[:size], counts[:size])
    return tallies


@dataclass(frozen=True)
class IndexBeside:
    """The unit's IPP beside its F-03 index, and their combination when the period gives F-03 a share."""

    ipp: Decimal | None  # exact, as scoring.py computed it
    ipp_label: str
    ipp_verified: bool
    f03_index: Fraction | None
    share: int
    combined: Fraction | None

    @property
    def combined_shown(self) -> Decimal | None:
        return None if self.combined is None else round_half_up(self.combined, 2)


def index_beside(period: Period, assessment: Assessment | None, f03_result: f03.F03Result | None,
                 shown: bool) -> IndexBeside:
    score: Score | None = None
    label, verified = "Belum ada penilaian mandiri", False
    if assessment is not None:
        verified = assessment.status == AssessmentStatus.VERIFIED
        score = assessment.stored_verified_score() if verified else assessment.stored_self_score()
        label = "IPP terverifikasi" if verified else "IPP penilaian mandiri (belum diverifikasi)"
    ipp = score.ipp if score is not None else None
    index = f03_result.index if (shown and f03_result is not None) else None
    combined = (f03.combined_index(ipp, index, period.f03_share)
                if period.f03_share and ipp is not None and index is not None else None)
    return IndexBeside(ipp, label, verified, index, period.f03_share, combined)


@dataclass(frozen=True)
class UnitSurvey:
    unit: Unit
    period: Period
    settings: SurveySettings
    skm: skm.SkmResult
    f03: f03.F03Result
    by_service: dict[str, skm.SkmResult]
    profile: dict[str, list[tuple[str, int]]]
    channels: dict[str, int]
    today: int
    beside: IndexBeside

    @property
    def total(self) -> int:
        return sum(self.channels.values())

    @property
    def sample_target(self) -> int | None:
        return skm.sample_size(self.settings.population) if self.settings.population else None

    @property
    def f03_shown(self) -> bool:
        return f03_shown(self.period, self.f03)


def f03_shown(period: Period, result: f03.F03Result) -> bool:
    """F-03 is shown once the period's minimum number of respondents has answered it."""
    return result.respondents >= period.survey_min_respondents


def instrument_weights(period: Period) -> dict[str, Decimal]:
    return {aspect.code: aspect.weight for aspect in period.instrument.aspects}


def unit_survey(unit: Unit, period: Period, today: date) -> UnitSurvey:
    settings = settings_for(unit, period)
    by_service = {key[0] or NOT_STATED: skm.result(tally) for key, tally in
                  skm_tallies(period, SurveyResponse.service_type, unit_id=unit.id).items()}
    unit_tally = sum((result.tally for result in by_service.values()), skm.Tally.empty())
    f03_tally = f03_tallies(period, unit.id).get((unit.id, settings.f03_form)) or f03.tally(settings.f03_form, [])
    f03_result = f03.result(f03_tally, instrument_weights(period))
    assessment = db.session.scalar(sa.select(Assessment).where(Assessment.unit_id == unit.id,
                                                               Assessment.period_id == period.id))
    channels = dict(db.session.execute(sa.select(SurveyResponse.channel, sa.func.count()).where(
        SurveyResponse.period_id == period.id, SurveyResponse.unit_id == unit.id)
        .group_by(SurveyResponse.channel)).all())
    return UnitSurvey(
        unit=unit, period=period, settings=settings, skm=skm.result(unit_tally), f03=f03_result,
        by_service=dict(sorted(by_service.items(), key=lambda item: item[0].casefold())), profile=_profile(period, unit),
        channels={channel.value: channels.get(channel, 0) for channel in Channel}, today=_count_on(period, unit, today),
        beside=index_beside(period, assessment, f03_result, f03_shown(period, f03_result)),
    )


def _count_on(period: Period, unit: Unit, day: date) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(
        SurveyResponse.period_id == period.id, SurveyResponse.unit_id == unit.id, SurveyResponse.answered_on == day))


def _profile(period: Period, unit: Unit) -> dict[str, list[tuple[str, int]]]:
    """Counts per answer of each profile question, in the questionnaire's order, "Tidak diisi" last."""
    where = (SurveyResponse.period_id == period.id, SurveyResponse.unit_id == unit.id)
    profile = {}
    for name, title, choices in PROFILE_FIELDS:
        column = getattr(SurveyResponse, name)
        counts = dict(db.session.execute(sa.select(column, sa.func.count()).where(*where).group_by(column)).all())
        profile[title] = [(label, counts.get(code, 0)) for code, label in choices] + [(NOT_STATED, counts.get(None, 0))]
    ages = db.session.execute(sa.select(SurveyResponse.age, sa.func.count()).where(*where).group_by(SurveyResponse.age))
    groups = dict.fromkeys([label for label, _, _ in AGE_GROUPS] + [NOT_STATED], 0)
    for age, count in ages:
        groups[age_group(age)] += count
    profile["Usia"] = list(groups.items())
    return profile


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    responses: int
    skm: skm.SkmResult
    sample_target: int | None
    f03: f03.F03Result
    f03_shown: bool
    beside: IndexBeside


@dataclass(frozen=True)
class PemdaSurvey:
    period: Period
    rows: list[UnitRow]
    skm: skm.SkmResult


def pemda_survey(period: Period) -> PemdaSurvey:
    """Every active unit's row, and the Pemda-wide SKM of all the period's responses pooled together."""
    units = list(db.session.scalars(sa.select(Unit).where(Unit.active).order_by(Unit.name)))
    skm_by_unit = {key[0]: tally for key, tally in skm_tallies(period, SurveyResponse.unit_id).items()}
    f03_by_unit = f03_tallies(period)
    all_settings = {s.unit_id: s for s in db.session.scalars(sa.select(SurveySettings).where(
        SurveySettings.period_id == period.id))}
    assessments = {a.unit_id: a for a in db.session.scalars(sa.select(Assessment).where(Assessment.period_id == period.id))}
    totals = dict(db.session.execute(sa.select(SurveyResponse.unit_id, sa.func.count()).where(
        SurveyResponse.period_id == period.id).group_by(SurveyResponse.unit_id)).all())
    weights = instrument_weights(period)
    rows = []
    for unit in units:
        settings = all_settings.get(unit.id)
        form = settings.f03_form if settings else f03.LURING
        f03_result = f03.result(f03_by_unit.get((unit.id, form)) or f03.tally(form, []), weights)
        shown = f03_shown(period, f03_result)
        rows.append(UnitRow(
            unit=unit, responses=totals.get(unit.id, 0), skm=skm.result(skm_by_unit.get(unit.id, skm.Tally.empty())),
            sample_target=skm.sample_size(settings.population) if settings and settings.population else None,
            f03=f03_result, f03_shown=shown, beside=index_beside(period, assessments.get(unit.id), f03_result, shown),
        ))
    pooled = sum(skm_by_unit.values(), skm.Tally.empty())
    return PemdaSurvey(period, rows, skm.result(pooled))


def responses_of(unit: Unit, period: Period) -> list[SurveyResponse]:
    return list(db.session.scalars(sa.select(SurveyResponse).where(
        SurveyResponse.unit_id == unit.id, SurveyResponse.period_id == period.id).order_by(SurveyResponse.id)))
