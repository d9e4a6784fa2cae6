"""The aspect page's form on an instrument with F-01 facts: per indicator the fact answers (JSON text) and the
justification, in place of the level (the level is the one the rule gives the facts)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Field, TextAreaField

from ..domain.fact_entries import asked_for, assemble, sent_answers_text, to_text
from ..domain.models import Assessment
from ..web.form_fields import IndicatorEntryForm, MaxLength, field_key, indicator_form, normalise_text
from .forms import AnswerEntryForm, section_form
from .sections import Section

CONTROLS = "fakta"  # the per-fact controls are named "<field key>-fakta-<fact key>"
CONTROLS_SENT = "fakta-isian"  # sent by the page's own form: the controls hold the answer (no JavaScript needed)


class FactsField(Field):
    """The indicator's fact answers as JSON text; read and checked per indicator by fact_saving.checked_entries."""

    def process_formdata(self, valuelist):
        self.data = valuelist[0] if valuelist else ""


class FactsEntryForm(IndicatorEntryForm):
    VALUE_FIELDS = ("facts", "justification")  # as fact_saving.stored_fact_answer
    facts = FactsField(default="")
    justification = TextAreaField("Penjelasan singkat", filters=[normalise_text],
                                  validators=[MaxLength("JUSTIFICATION_MAX_LENGTH", "Penjelasan")])


def facts_section_form(section: Section, assessment: Assessment, **kwargs) -> FlaskForm:
    """The page's form on the stored fact answers (a post then brings what the user sent)."""
    saved = {}
    for item in section.items:
        answer = assessment.answers.get(item.code)
        saved[item.code] = ({"facts": to_text(answer.facts), "justification": answer.justification,
                             "version": answer.version} if answer else {"facts": "", "justification": "", "version": 0})
    return indicator_form(FactsEntryForm, section.items, saved, **kwargs)


def facts_formdata(sent: MultiDict, section: Section, assessment: Assessment) -> MultiDict:
    """The post with each indicator's JSON answer taken from its controls where the page's own form sent them.

    The autosave sends the JSON field alone; the page's buttons send the controls too, and those are what the
    user sees (without JavaScript the JSON field still holds what the page was built with).
    """
    data = MultiDict(sent)
    for item in section.items:
        key = field_key(item.code)
        if data.get(f"{key}-{CONTROLS_SENT}"):
            asked = asked_for(assessment.instrument, item, assessment.unit.delivery)
            answer = assemble(asked.facts, f"{key}-{CONTROLS}", data.getlist)
            data.setlist(f"{key}-facts", [sent_answers_text(asked, answer)])
    return data


def page_form(section: Section, assessment: Assessment, sent: MultiDict | None = None, **kwargs) -> FlaskForm:
    """The page's form: facts on an instrument with facts, else the level (forms.section_form, as before).

    ``sent``: the post, whose fact controls then give each indicator's answer (``facts_formdata``).
    """
    if not assessment.instrument.has_facts:
        return section_form(section, assessment, **kwargs)
    if sent is not None:
        kwargs["formdata"] = facts_formdata(sent, section, assessment)
    return facts_section_form(section, assessment, **kwargs)


def entry_form_of(assessment: Assessment) -> type[IndicatorEntryForm]:
    return FactsEntryForm if assessment.instrument.has_facts else AnswerEntryForm
