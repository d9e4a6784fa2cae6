"""Random input into every form and list filter: never a server error, and garbage never changes saved data.

The forms and their field names are read from the rendered pages (so a new field is fuzzed as soon as a
page shows it); each page is opened by the role that uses it. CSRF and the login rate limit are off here:
they are tested in test_csrf.py and test_security.py.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.admin.csv_reading import encode_content
from assessment.domain.answers import assessment_for, submit_assessment
from assessment.domain.formatting import today_wib
from assessment.domain.models import Answer, AuditEvent, Recommendation, Review
from assessment.extensions import db
from assessment.review.forms import VALID_CHOICES
from tests import factories

FUZZ = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
VALID_LEVELS = {"", *(str(level) for level in range(6))}

ODD_VALUES = [
    "", " ", "0", "-1", "6", "5 ", "٣", "3.0", "1e309", "NaN", "99999999999999999999999", "true", "None", "[]",
    "agree", "AGREE", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%00", "\x00", "\u202eabc",
    "𝕿𝖊𝖐𝖘", "2024-02-30", "0000-00-00", "9999-12-31", "31/12/2024", "-2024-01-01", "javascript:alert(1)", "//evil.example",
]
ODD = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(max_size=40),
    st.integers().map(str),
    st.dates().map(str),
    st.integers(min_value=10_000, max_value=300_000).map(lambda n: "Ж" * n),  # far past every length limit
)


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values the page offers (options, radios)
    files: set[str] = field(default_factory=set)


class FormFinder(HTMLParser):
    """Every <form> of a page with its fields, and the query parameters of the page's own links."""

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path, self.forms, self.link_params = page_path, [], set()
        self._current: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._current = Form(urlsplit(attrs.get("action") or self.page_path).path or self.page_path,
                                 attrs.get("method", "get").lower(), attrs.get("enctype") == "multipart/form-data")
            self.forms.append(self._current)
        elif tag == "a" and urlsplit(attrs.get("href", "")).path in ("", self.page_path):
            self.link_params |= {name for name, _ in parse_qsl(urlsplit(attrs.get("href", "")).query)}
        elif self._current is not None and tag in ("input", "select", "textarea", "option"):
            self._field(tag, attrs)

    def _field(self, tag, attrs):
        if tag == "option":
            if self._select:
                self._current.fields[self._select].append(attrs.get("value", ""))
            return
        name = attrs.get("name")
        if not name or name == "csrf_token" or attrs.get("type") == "submit":
            return
        if attrs.get("type") == "file":
            self._current.files.add(name)
            return
        offered = self._current.fields.setdefault(name, [])
        if attrs.get("type") in ("radio", "checkbox", "hidden") and "value" in attrs:
            offered.append(attrs["value"])
        self._select = name if tag == "select" else None

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def forms_of(html: str, path: str) -> FormFinder:
    finder = FormFinder(path)
    finder.feed(html)
    return finder


class Fuzz:
    """The app, a world where every page has its forms, and one logged-in client per role."""

    def __init__(self, app, world, verified_id: int):
        self.app, self.world, self.verified_id = app, world, verified_id
        self.clients = {}
        self.found: dict[tuple[str, str], FormFinder] = {}

    def client(self, role: str):
        if role not in self.clients:
            user = {"opd": self.world.opd, "reviewer": self.world.reviewer, "admin": self.world.admin}.get(role)
            self.clients[role] = self.app.test_client()
            if user is not None:
                factories.sign_in(self.clients[role], user)
        return self.clients[role]

    def send(self, role: str, method: str, url: str, **kwargs):
        with self.app.app_context():  # a fresh flask.g per request, as in production
            return self.client(role).open(url, method=method, **kwargs)

    def page(self, role: str, path: str) -> FormFinder:
        if (role, path) not in self.found:
            response = self.send(role, "GET", path)
            assert response.status_code == 200, f"{path} as {role}: {response.status_code}"
            self.found[role, path] = forms_of(response.text, path)
        return self.found[role, path]


@pytest.fixture
def fuzz(make_app, tmp_path):
    app = make_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "PDF_CACHE_DIR": str(tmp_path / "cache"),
                    "PACKS_DIR": str(tmp_path / "packs"), "EVIDENCE_DIR": str(tmp_path / "evidence")})
    with app.app_context():
        app.extensions["pekppp_jobs"].enqueue = lambda job_id: None  # "start the pack" builds nothing here
        world = factories.make_world()
        factories.fill(world.assessment, world.opd)  # complete, still a draft: the submit form shows
        factories.fill(world.other_assessment, world.other_opd)
        submit_assessment(world.other_assessment, world.other_opd, today_wib())  # under review: the review forms
        verified = assessment_for(factories.make_unit("Dishub"), world.period)
        factories.fill(verified, world.opd)
        factories.mark_verified(verified, world.reviewer)  # reopen and recommendation forms
        db.session.add(Recommendation(assessment_id=verified.id, text="Lengkapi SOP."))
        db.session.commit()
        yield Fuzz(app, world, verified.id)


def pages(fuzz: Fuzz) -> dict[str, tuple[str, str]]:
    """Pages with forms, each with the role that uses it."""
    world = fuzz.world
    own, reviewed = world.assessment.id, world.other_assessment.id
    return {
        "login": ("anon", "/masuk"),
        "change-password": ("opd", "/akun/kata-sandi"),
        "section": ("opd", f"/penilaian/{own}/aspek/a"),
        "summary": ("opd", f"/penilaian/{own}/ringkasan"),
        "review": ("reviewer", f"/organisasi/penilaian/{reviewed}/verifikasi"),
        "verified": ("admin", f"/organisasi/penilaian/{fuzz.verified_id}/verifikasi"),
        "results": ("reviewer", "/organisasi/hasil/"),
        "unit-new": ("admin", "/admin/unit/baru"),
        "unit-edit": ("admin", f"/admin/unit/{world.unit.id}"),
        "user-new": ("admin", "/admin/pengguna/baru"),
        "user-edit": ("admin", f"/admin/pengguna/{world.opd.id}"),
        "unit-import": ("admin", "/admin/unit/impor"),
        "user-import": ("admin", "/admin/pengguna/impor"),
        "period-new": ("admin", "/admin/periode/baru"),
        "period-edit": ("admin", f"/admin/periode/{world.period.id}"),
        "letterhead": ("admin", "/admin/kop-surat"),
        "survey-public": ("anon", f"/s/{world.period.year}/{world.unit.id}"),
        "survey-unit": ("opd", f"/survei/{world.period.year}/unit/{world.unit.id}"),
        "survey-paper": ("opd", f"/survei/{world.period.year}/unit/{world.unit.id}/kertas"),
        "survey-overview": ("admin", f"/survei/{world.period.year}"),
    }


LIST_PAGES = {"queue": ("reviewer", "/organisasi/"), "results-index": ("reviewer", "/organisasi/hasil/"),
              "users": ("admin", "/admin/pengguna"), "units": ("admin", "/admin/unit")}


def values_for(form: Form) -> st.SearchStrategy[dict]:
    """A value for every field: mostly odd, sometimes one the page offers; a field may be repeated or left out."""
    def one(offered: list[str]):
        choices = [ODD] + ([st.sampled_from(offered)] if offered else [])
        return st.one_of(*choices, st.lists(st.one_of(*choices), min_size=2, max_size=3), st.none())

    fields = st.fixed_dictionaries({name: one(offered) for name, offered in form.fields.items()})
    files = st.fixed_dictionaries({name: st.tuples(st.binary(max_size=3000), st.text(max_size=30)) for name in form.files})
    return st.tuples(fields, files).map(lambda parts: (
        {name: value for name, value in parts[0].items() if value is not None}
        | {name: (io.BytesIO(data), filename or "berkas") for name, (data, filename) in parts[1].items()}
    ))


@pytest.mark.parametrize("name", ["login", "change-password", "section", "summary", "review", "verified", "results",
                                  "unit-new", "unit-edit", "user-new", "user-edit", "unit-import", "user-import",
                                  "period-new", "period-edit", "letterhead", "survey-public", "survey-unit",
                                  "survey-paper", "survey-overview"])
@FUZZ
@given(data=st.data())
def test_no_form_ends_in_a_server_error(fuzz, name, data):
    role, path = pages(fuzz)[name]
    posts = [form for form in fuzz.page(role, path).forms if form.method == "post" and form.action != "/keluar"]
    assert posts, f"no form found on {path}"
    form = data.draw(st.sampled_from(posts), label="form")
    values = data.draw(values_for(form), label="values")
    response = fuzz.send(role, "POST", form.action, data=values,
                         content_type="multipart/form-data" if form.multipart or form.files else None)
    assert response.status_code < 500, f"POST {form.action} answered {response.status_code}"


@pytest.mark.parametrize("name", list(LIST_PAGES))
@FUZZ
@given(data=st.data())
def test_no_filter_or_sort_ends_in_a_server_error(fuzz, name, data):
    role, path = LIST_PAGES[name]
    found = fuzz.page(role, path)
    params = found.link_params | {name for form in found.forms if form.method == "get" for name in form.fields}
    assert params, f"no filter found on {path}"
    query = data.draw(st.dictionaries(st.sampled_from(sorted(params)), ODD.filter(lambda v: len(v) < 5000)), label="query")
    response = fuzz.send(role, "GET", path, query_string=query)
    assert response.status_code < 500, f"GET {path}?{query} answered {response.status_code}"


CSV_CELL = st.one_of(st.sampled_from(["", "opd", "admin", "reviewer", "dinas", "DPMPTSP", "Disdukcapil", "198001012005011001"]),
                    st.text(max_size=25))


@st.composite
def csv_text(draw, columns: list[str]) -> str:
    """A CSV that looks like an import file: a header (sometimes changed) and rows of odd cells."""
    header = draw(st.permutations(columns).flatmap(lambda names: st.lists(st.sampled_from([*names, "x"]), max_size=6)))
    rows = draw(st.lists(st.lists(CSV_CELL, max_size=7), max_size=6))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    return "\n".join(delimiter.join(cells) for cells in [header or columns, *rows])


@pytest.mark.parametrize(("subject", "columns"), [("unit", ["nama", "singkatan", "jenis"]),
                                                  ("pengguna", ["username", "nama_lengkap", "nip", "peran", "unit"])])
@FUZZ
@given(data=st.data())
def test_no_import_ends_in_a_server_error(fuzz, subject, columns, data):
    text = data.draw(csv_text(columns), label="csv")
    uploaded = fuzz.send("admin", "POST", f"/admin/{subject}/impor", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(text.encode(data.draw(st.sampled_from(["utf-8", "utf-16", "cp1252"]),
                                                                        label="encoding"), "replace")), "impor.csv")})
    assert uploaded.status_code < 500
    content = data.draw(st.one_of(st.just(encode_content(text)), ODD), label="content")
    confirmed = fuzz.send("admin", "POST", f"/admin/{subject}/impor/simpan", data={"content": content})
    assert confirmed.status_code < 500


def saved_answers(assessment_id: int) -> list[tuple]:
    query = sa.select(Answer.indicator_code, Answer.level, Answer.justification).where(Answer.assessment_id == assessment_id)
    return sorted(db.session.execute(query).all())


def saved_reviews(assessment_id: int) -> list[tuple]:
    query = sa.select(Review.indicator_code, Review.decision, Review.verified_level, Review.note).where(
        Review.assessment_id == assessment_id)
    return sorted(db.session.execute(query).all(), key=str)


def audit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


def with_garbage(field_suffix: str, valid: set[str]):
    """A post the page could send (its hidden values, any text), except that at least one choice is not valid."""
    garbage = ODD.filter(lambda value: value not in valid)

    @st.composite
    def build(draw, form: Form):
        names = sorted(name for name in form.fields if name.endswith(field_suffix))
        spoiled = draw(st.sampled_from(names), label="spoiled field")
        values = {name: draw(st.one_of(st.sampled_from(sorted(valid)), garbage)) for name in names}
        values[spoiled] = draw(garbage, label="garbage")
        others = {name: offered[0] if offered else draw(st.text(max_size=30))
                  for name, offered in form.fields.items() if not name.endswith(field_suffix)}
        return {**others, **values}

    return build


def valid_post(form: Form, field_suffix: str, choice: str) -> dict:
    return {name: choice if name.endswith(field_suffix) else (offered[0] if offered else "Sesuai dokumen.")
            for name, offered in form.fields.items()}


@FUZZ
@given(data=st.data())
def test_a_garbage_level_saves_nothing(fuzz, data):
    path = f"/penilaian/{fuzz.world.assessment.id}/aspek/a"
    form = next(f for f in fuzz.page("opd", path).forms if f.method == "post" and f.action == path)
    values = data.draw(with_garbage("-level", VALID_LEVELS)(form))
    before, events = saved_answers(fuzz.world.assessment.id), audit_count()
    response = fuzz.send("opd", "POST", path, data={**values, "action": "save"})
    assert response.status_code in (400, 422)  # refused outright, or the form again with its errors
    db.session.expire_all()
    assert saved_answers(fuzz.world.assessment.id) == before and audit_count() == events


@FUZZ
@given(data=st.data())
def test_a_garbage_review_choice_saves_nothing(fuzz, data):
    path = f"/organisasi/penilaian/{fuzz.world.other_assessment.id}/verifikasi"
    form = next(f for f in fuzz.page("reviewer", path).forms if f.method == "post" and f.action == path)
    values = data.draw(with_garbage("-choice", VALID_CHOICES)(form))
    before, events = saved_reviews(fuzz.world.other_assessment.id), audit_count()
    response = fuzz.send("reviewer", "POST", path, data=values)
    assert response.status_code in (400, 422)
    db.session.expire_all()
    assert saved_reviews(fuzz.world.other_assessment.id) == before and audit_count() == events


def test_the_same_posts_with_valid_choices_do_save(fuzz):
    """The control for the two tests above: their posts are refused for the garbage, not for anything else."""
    own, reviewed = fuzz.world.assessment.id, fuzz.world.other_assessment.id
    section, review = f"/penilaian/{own}/aspek/a", f"/organisasi/penilaian/{reviewed}/verifikasi"
    answers_form = next(f for f in fuzz.page("opd", section).forms if f.action == section)
    review_form = next(f for f in fuzz.page("reviewer", review).forms if f.action == review)
    answers, reviews = saved_answers(own), saved_reviews(reviewed)
    saved = fuzz.send("opd", "POST", section, data={**valid_post(answers_form, "-level", "2"), "action": "save"})
    assert saved.status_code == 302
    assert fuzz.send("reviewer", "POST", review, data=valid_post(review_form, "-choice", "1")).status_code == 302
    db.session.expire_all()
    assert saved_answers(own) != answers and saved_reviews(reviewed) != reviews


def test_the_finder_sees_the_fields_it_fuzzes(fuzz):
    section = fuzz.page("opd", f"/penilaian/{fuzz.world.assessment.id}/aspek/a").forms
    answer_form = next(form for form in section if form.method == "post" and "/aspek/" in form.action)
    assert any(name.endswith("-level") for name in answer_form.fields)
    assert set(answer_form.fields[next(n for n in answer_form.fields if n.endswith("-level"))]) >= set("012345")
    review = fuzz.page("reviewer", f"/organisasi/penilaian/{fuzz.world.other_assessment.id}/verifikasi").forms
    assert f"/organisasi/penilaian/{fuzz.world.other_assessment.id}/kembalikan" in {form.action for form in review}
    verified = fuzz.page("admin", f"/organisasi/penilaian/{fuzz.verified_id}/verifikasi").forms
    assert f"/organisasi/penilaian/{fuzz.verified_id}/buka-kembali" in {form.action for form in verified}
    assert any("/organisasi/rekomendasi/" in form.action for form in verified)
    assert fuzz.page("reviewer", "/organisasi/").link_params >= {"urut"}
