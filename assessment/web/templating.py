"""What every template may use: the formatting filters, the labels, today's date in WIB."""
from __future__ import annotations

from flask import Flask

from ..domain.followup import standing
from ..domain.formatting import (
    angka,
    bilangan,
    nip,
    predikat_class,
    selisih,
    sisa_waktu,
    tanggal,
    tanggal_huruf,
    terbilang,
    today_wib,
    waktu,
)
from ..domain.instrument.facts import KIND_LABELS as FACT_KIND_LABELS
from ..domain.labels import (
    DELIVERY_LABELS,
    FINDING_LABELS,
    FOLLOWUP_BADGES,
    FOLLOWUP_LABELS,
    FOLLOWUP_STEP_LABELS,
    KIND_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
)
from ..domain.letterhead import pemda_name
from ..domain.models import UnitKind
from .access import form_state, may
from .form_fields import field_key


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters.update(tanggal=tanggal, waktu=waktu, angka=angka, bilangan=bilangan, selisih=selisih,
                                 predikat_class=predikat_class, sisa_waktu=sisa_waktu, nip=nip, terbilang=terbilang,
                                 tanggal_huruf=tanggal_huruf)
    app.jinja_env.globals.update(
        status_labels=STATUS_LABELS,
        status_labels_by_value={status.value: label for status, label in STATUS_LABELS.items()},
        role_labels=ROLE_LABELS,
        unit_kinds=list(UnitKind),
        kind_labels=KIND_LABELS,
        delivery_labels=DELIVERY_LABELS,
        fact_kind_labels=FACT_KIND_LABELS,
        followup_labels=FOLLOWUP_LABELS,
        followup_badges=FOLLOWUP_BADGES,
        followup_step_labels=FOLLOWUP_STEP_LABELS,
        followup_standing=lambda recommendation: standing(recommendation, today_wib()),
        finding_labels=FINDING_LABELS,
        field_key=field_key,
        pemda_name=pemda_name,
        may=may,
        form_state=form_state,
    )
    app.context_processor(lambda: {"today": today_wib()})
