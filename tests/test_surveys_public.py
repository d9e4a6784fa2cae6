"""The public survey form: no login, light, stored once; every refusal with its own message and nothing stored."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from itsdangerous import TimestampSigner

from assessment.domain.models import Channel, SurveyResponse
from assessment.extensions import db
from assessment.surveys import public
from assessment.surveys.services import settings_for
from tests import factories

STATIC = Path(__file__).resolve().parent.parent / "static"
TOKEN = re.compile(r'name="token" value="([^"]+)"')
ANSWERS = {**{f"u{n}": str(1 + n % 4) for n in range(1, 10)}, **{f"f{n}": str(n % 6) for n in range(1, 15)},
           "age": "34", "gender": "P", "education": "s1", "occupation": "swasta", "service_type": "KTP-el",
           "suggestion": "Antrean pagi terlalu panjang."}


@pytest.fixture
def survey(world):
    return world


def form_url(world, unit=None) -> str:
    return f"/s/{world.period.year}/{(unit or world.unit).id}"


def token_from(client, url: str, monkeypatch, seconds_ago: int = 60) -> str:
    """The page's token as if the page had been served ``seconds_ago`` (a respondent who took their time)."""
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - seconds_ago)
        page = client.get(url)
    assert page.status_code == 200
    return TOKEN.search(page.text).group(1)


def post(client, url, token, address="198.51.100.7", **changes):
    data = {**ANSWERS, "token": token, **changes}
    return client.post(url, data={k: v for k, v in data.items() if v is not None},
                       environ_base={"REMOTE_ADDR": address})


def stored() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse))


def alert(page) -> str:
    return " ".join(re.findall(r'role="alert">([^<]+)<', page.text))


def test_the_form_needs_no_login_sets_no_cookie_and_stays_light(client, survey):
    page = client.get(form_url(survey))
    assert page.status_code == 200
    assert "Set-Cookie" not in page.headers  # no session for an anonymous respondent
    assert "<script" not in page.text  # works without JavaScript
    assert page.text.count('<fieldset class="q') == 9 + 14 + 1  # nine unsur, 14 luring statements, sex
    assert "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?" in page.text
    stylesheets = re.findall(r'<link rel="(?:stylesheet|icon)" href="/static/([^"]+)"', page.text)
    # with or without the static build step's fingerprints (css/survey-<md5>.css)
    assert [re.sub(r"-[0-9a-f]{32}(?=\.)", "", name) for name in stylesheets] == ["css/survey.css", "img/logo.svg"]
    on_the_wire = len(page.data) + sum((STATIC / name).stat().st_size for name in stylesheets)
    assert on_the_wire < 100 * 1024, on_the_wire


def test_a_response_is_stored_once_with_the_device_remembered(client, survey, monkeypatch):
    url = form_url(survey)
    token = token_from(client, url, monkeypatch)
    answer = post(client, url, token)
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"{url}/terima-kasih")
    assert f"survei_{survey.period.year}_{survey.unit.id}=" in answer.headers["Set-Cookie"]
    assert "HttpOnly" in answer.headers["Set-Cookie"]
    response = db.session.scalar(sa.select(SurveyResponse))
    assert response.skm_answers() == [2, 3, 4, 1, 2, 3, 4, 1, 2]
    assert response.f03_answers(14) == [1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 0, 1, 2]
    assert (response.channel, response.entered_by_id, response.unit_id) == (Channel.ONLINE, None, survey.unit.id)
    assert (response.age, response.gender, response.service_type) == (34, "P", "KTP-el")
    assert "Terima kasih" in client.get(answer.headers["Location"]).text


def test_the_same_form_sent_twice_is_stored_once(app, survey, monkeypatch):
    """A double tap or a retry after a lost answer (no cookie came back): acknowledged again, stored once."""
    url = form_url(survey)
    first, second = app.test_client(), app.test_client()
    token = token_from(first, url, monkeypatch)
    assert post(first, url, token).status_code == 303
    assert post(second, url, token).status_code == 303
    assert stored() == 1


def test_skipped_questions_are_stored_as_no_answer(client, survey, monkeypatch):
    url = form_url(survey)
    skipped = {f"u{n}": None for n in range(2, 10)} | {f"f{n}": None for n in range(1, 15)}
    answer = post(client, url, token_from(client, url, monkeypatch), **skipped, age=None, gender=None)
    assert answer.status_code == 303
    response = db.session.scalar(sa.select(SurveyResponse))
    assert response.skm_answers() == [2] + [None] * 8 and response.f03_answers(14) == [None] * 14
    assert (response.age, response.gender) == (None, None)


# --- every refusal: its own message, nothing stored ----------------------------------------------------------------

def test_refused_when_this_device_answered_today(client, survey, monkeypatch):
    url = form_url(survey)
    assert post(client, url, token_from(client, url, monkeypatch)).status_code == 303
    again = post(client, url, token_from(client, url, monkeypatch))
    assert again.status_code == 409
    assert "Perangkat ini sudah mengirim penilaian untuk unit ini hari ini" in alert(again)
    assert stored() == 1


def test_the_device_cookie_is_per_unit(client, survey, monkeypatch):
    assert post(client, form_url(survey), token_from(client, form_url(survey), monkeypatch)).status_code == 303
    other = form_url(survey, survey.other_unit)
    assert post(client, other, token_from(client, other, monkeypatch)).status_code == 303
    assert stored() == 2


def test_refused_when_the_honeypot_is_filled(client, survey, monkeypatch):
    url = form_url(survey)
    answer = post(client, url, token_from(client, url, monkeypatch), website="http://spam.example")
    assert answer.status_code == 400
    assert "kolom yang seharusnya dibiarkan kosong ikut terisi" in alert(answer)
    assert stored() == 0


def test_refused_when_sent_too_fast_and_the_answers_stay(client, survey, monkeypatch):
    url = form_url(survey)
    answer = post(client, url, token_from(client, url, monkeypatch, seconds_ago=2))
    assert answer.status_code == 400
    assert "Isian terkirim terlalu cepat" in alert(answer)
    assert 'name="u1" value="2" checked' in answer.text and "Antrean pagi terlalu panjang." in answer.text
    assert stored() == 0


def test_refused_when_the_survey_is_closed(client, survey, monkeypatch):
    url = form_url(survey)
    token = token_from(client, url, monkeypatch)
    survey.period.is_open = False
    db.session.commit()
    page = client.get(url)
    assert page.status_code == 200 and "sudah ditutup bersama periode evaluasinya" in alert(page)
    assert 'name="token"' not in page.text
    answer = post(client, url, token)
    assert answer.status_code == 403 and "sudah ditutup" in alert(answer)
    assert stored() == 0


def test_refused_for_an_inactive_unit(client, survey, monkeypatch):
    url = form_url(survey)
    token = token_from(client, url, monkeypatch)
    survey.unit.active = False
    db.session.commit()
    assert post(client, url, token).status_code == 403
    assert stored() == 0


def test_refused_past_the_rate_limit_per_address(make_app, monkeypatch):
    app = make_app({"WTF_CSRF_ENABLED": False, "SURVEY_RATE_LIMIT_PER_ADDRESS": "3 per minute"})
    with app.app_context():
        world = factories.make_world()
        url = form_url(world)
        answers = []
        for _ in range(4):
            client = app.test_client()  # four devices behind one address
            answers.append(post(client, url, token_from(client, url, monkeypatch), address="203.0.113.9"))
        assert [a.status_code for a in answers] == [303, 303, 303, 429]
        assert public.TOO_MANY_FROM_ADDRESS in alert(answers[-1])
        assert stored() == 3
        client = app.test_client()
        assert post(client, url, token_from(client, url, monkeypatch), address="203.0.113.10").status_code == 303


def test_refused_past_the_rate_limit_per_unit_counting_only_stored_responses(make_app, monkeypatch):
    app = make_app({"WTF_CSRF_ENABLED": False, "SURVEY_RATE_LIMIT_PER_UNIT": "2 per minute"})
    with app.app_context():
        world = factories.make_world()
        url = form_url(world)
        client = app.test_client()
        for number in range(3):  # refused posts (a bot's) do not use up the unit's budget
            post(client, url, token_from(client, url, monkeypatch), address=f"192.0.2.{number}", website="bot")
        codes = []
        for number in range(3):
            client = app.test_client()
            codes.append(post(client, url, token_from(client, url, monkeypatch), address=f"198.51.100.{number}"))
        assert [a.status_code for a in codes] == [303, 303, 429]
        assert public.TOO_MANY_FOR_UNIT in alert(codes[-1])
        assert stored() == 2
        other = form_url(world, world.other_unit)  # another unit's survey has its own budget
        client = app.test_client()
        assert post(client, other, token_from(client, other, monkeypatch), address="198.51.100.9").status_code == 303


@pytest.mark.parametrize("token", ["", "rusak", "eyJhIjoxfQ.abc.def"])
def test_a_missing_or_forged_token_keeps_the_answers_with_a_new_token(client, survey, token):
    answer = post(client, form_url(survey), token)
    assert answer.status_code == 400 and "Formulir tidak dikenali" in alert(answer)
    assert 'name="u3" value="4" checked' in answer.text and TOKEN.search(answer.text).group(1) != token
    assert stored() == 0


def test_an_expired_token(client, survey, monkeypatch):
    url = form_url(survey)
    answer = post(client, url, token_from(client, url, monkeypatch, seconds_ago=7 * 3600))
    assert answer.status_code == 400 and "terlalu lama terbuka" in alert(answer)
    assert stored() == 0


def test_a_token_of_another_unit(client, survey, monkeypatch):
    other_token = token_from(client, form_url(survey, survey.other_unit), monkeypatch)
    answer = post(client, form_url(survey), other_token)
    assert answer.status_code == 400 and "milik survei lain" in alert(answer)
    assert stored() == 0


@pytest.mark.parametrize(("changes", "message"), [
    ({"u1": "7"}, "Pilih salah satu jawaban yang tersedia."),
    ({"f3": "6"}, "Pilih salah satu jawaban yang tersedia."),
    ({"u2": "dua"}, "Pilih salah satu jawaban yang tersedia."),
    ({"age": "3"}, "Isi usia antara 10 dan 110 tahun."),
    ({"age": "tiga puluh"}, "Isi dengan angka bulat."),
    ({"education": "profesor"}, "Pilih salah satu jawaban yang tersedia."),
    ({"suggestion": "x" * 1001}, "Saran paling banyak 1000 karakter."),
    ({**{f"u{n}": None for n in range(1, 10)}, **{f"f{n}": None for n in range(1, 15)}},
     "Belum ada pertanyaan yang dijawab"),
])
def test_invalid_answers_are_refused_with_a_message(client, survey, monkeypatch, changes, message):
    url = form_url(survey)
    answer = post(client, url, token_from(client, url, monkeypatch), **changes)
    assert answer.status_code == 400 and message in answer.text
    assert stored() == 0


def test_the_unit_s_service_types_are_a_list_to_choose_from(client, survey, monkeypatch):
    settings = settings_for(survey.unit, survey.period)
    settings.service_types = ["KTP-el", "Kartu Keluarga"]
    db.session.add(settings)
    db.session.commit()
    url = form_url(survey)
    page = client.get(url)
    assert '<select id="service_type"' in page.text and "<option>Kartu Keluarga</option>" in page.text
    assert post(client, url, token_from(client, url, monkeypatch), service_type="Paspor").status_code == 400
    assert post(client, url, token_from(client, url, monkeypatch), service_type="Kartu Keluarga").status_code == 303


def test_the_daring_form_has_eleven_statements(client, survey, monkeypatch):
    settings = settings_for(survey.unit, survey.period)
    settings.f03_form = "daring"
    db.session.add(settings)
    db.session.commit()
    url = form_url(survey)
    page = client.get(url)
    assert page.text.count('<fieldset class="q') == 9 + 11 + 1
    assert "Keamanan layanan daring terjamin." in page.text
    assert post(client, url, token_from(client, url, monkeypatch)).status_code == 303
    response = db.session.scalar(sa.select(SurveyResponse))
    assert response.f03_form == "daring" and response.f12 is None and response.f11 == 5


@pytest.mark.parametrize("path", ["/s/2026/99999", "/s/1999/1", "/s/99999999999/1"])
def test_unknown_survey_is_404(client, survey, path):
    assert client.get(path).status_code == 404


def test_a_busy_database_keeps_the_answers_and_the_retry_is_stored_once(client, survey, monkeypatch):
    """The insert fails (the database is locked): 503, the answers on screen with the same token; sent again, stored."""
    url = form_url(survey)
    token = token_from(client, url, monkeypatch)

    def locked(*args, **kwargs):
        raise sa.exc.OperationalError("INSERT", {}, Exception("database is locked"))

    with monkeypatch.context() as patch:
        patch.setattr(public, "record_response", locked)
        answer = post(client, url, token)
    assert answer.status_code == 503 and "belum tersimpan" in alert(answer)
    assert 'name="u1" value="2" checked' in answer.text and TOKEN.search(answer.text).group(1) == token
    assert stored() == 0
    assert post(client, url, token).status_code == 303
    assert post(client, url, token).status_code == 409  # this device has answered today now
    assert stored() == 1
