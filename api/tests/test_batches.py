"""Pushing measurements: the import's rules, all or nothing with every row's problem, the same
batch twice recorded once, every write logged with the token's name."""

import datetime
import logging
from decimal import Decimal

import pytest

from api.models import MeasurementBatch
from projects.models import Measurement
from projects.tests.factories import IndicatorFactory


@pytest.fixture
def push(project, member_of, api_as):
    """push(batch, role="contributor") -> the response to POSTing `batch` with a read-write
    token of someone holding `role`."""
    url = f"/api/v1/projects/{project.pk}/measurements/batches/"
    clients = {}

    def send(batch, role="contributor"):
        if role not in clients:
            clients[role] = api_as(member_of(role), "read-write")
        return clients[role].post(url, batch, format="json")

    return send


def month_rows(indicator, months=range(1, 4)):
    return [
        {"indicator": indicator.pk, "period": f"2026-{m:02d}-01", "value": 10 + m, "note": ""}
        for m in months
    ]


def test_a_batch_is_recorded_and_the_same_batch_again_records_nothing(chain, push, caplog):
    _, _, indicator = chain
    batch = {"idempotency_key": "warehouse-2026-03", "rows": month_rows(indicator)}
    caplog.set_level(logging.INFO, logger="totem.api")
    first = push(batch)
    assert first.status_code == 201
    assert first.json() | {"recorded_at": None, "id": None} == {
        "id": None,
        "idempotency_key": "warehouse-2026-03",
        "replayed": False,
        "rows": 3,
        "created": 3,
        "replaced": 0,
        "unchanged": 0,
        "recorded_at": None,
        "token_name": "Power BI feed",
    }
    history = Measurement.history.count()
    second = push(batch)  # the nightly job ran twice by mistake
    assert second.status_code == 200
    assert second.json()["replayed"] is True and second.json()["id"] == first.json()["id"]
    assert Measurement.objects.filter(indicator=indicator).count() == 3
    assert Measurement.history.count() == history  # nothing recorded, not even "unchanged"
    assert MeasurementBatch.objects.count() == 1
    writes = [r.getMessage() for r in caplog.records if "api write" in r.getMessage()]
    assert len(writes) == 1 and "token='Power BI feed'" in writes[0]


def test_the_key_is_unique_in_the_database(project, chain):
    from django.db import IntegrityError

    MeasurementBatch.objects.create(project=project, idempotency_key="k", fingerprint="a")
    with pytest.raises(IntegrityError):
        MeasurementBatch.objects.create(project=project, idempotency_key="k", fingerprint="b")


def test_a_reused_key_with_other_rows_is_refused(chain, push):
    _, _, indicator = chain
    assert push({"idempotency_key": "k", "rows": month_rows(indicator)}).status_code == 201
    response = push({"idempotency_key": "k", "rows": month_rows(indicator, [5])})
    assert response.status_code == 409
    assert "use a new key" in response.json()["detail"]
    assert not Measurement.objects.filter(date=datetime.date(2026, 5, 1)).exists()


def test_one_bad_row_records_nothing_and_every_problem_is_listed(project, chain, push):
    _, _, indicator = chain
    other = IndicatorFactory(impact=indicator.impact, name="Staff trained")
    rows = month_rows(indicator) + [
        {"indicator": "Staff trainde", "period": "2026-01-01", "value": 3},
        {"indicator": other.pk, "period": "31/02/2026", "value": "lots"},
        {"indicator": indicator.pk, "period": "2026-01-01", "value": 9},
    ]
    response = push({"idempotency_key": "k", "rows": rows})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("Nothing was recorded")
    assert [(e["row"], e["field"]) for e in body["errors"]] == [
        (4, "indicator"),
        (5, "period"),
        (5, "value"),
        (6, "period"),
    ]
    # The import's own messages: a close name is suggested, a duplicate row is named.
    assert "Did you mean “Staff trained”?" in body["errors"][0]["message"]
    assert "row 1 has one already" in body["errors"][3]["message"]
    assert not Measurement.objects.filter(project=project).exists()
    assert not MeasurementBatch.objects.exists()
    # Corrected, the same key is free to use: a refused batch claims nothing.
    fixed = rows[:3] + [{"indicator": other.name, "period": "Feb 2026", "value": "1,234.5"}]
    response = push({"idempotency_key": "k", "rows": fixed})
    assert response.status_code == 201
    assert Measurement.objects.get(indicator=other).value == Decimal("1234.5")


def test_a_batch_replaces_a_value_already_recorded(chain, push):
    _, _, indicator = chain
    push({"idempotency_key": "march", "rows": month_rows(indicator)})
    rows = month_rows(indicator)
    rows[0]["value"] = 99
    result = push({"idempotency_key": "march-corrected", "rows": rows}).json()
    assert (result["created"], result["replaced"], result["unchanged"]) == (0, 1, 2)
    assert Measurement.objects.get(date=datetime.date(2026, 1, 1)).value == 99


@pytest.mark.parametrize(
    "batch,field",
    [
        ({"rows": []}, "idempotency_key"),
        ({"idempotency_key": "k", "rows": []}, "rows"),
        ({"idempotency_key": "k", "rows": [{"value": 1}]}, "rows.1.indicator"),
        ({"idempotency_key": "k"}, "rows"),
    ],
)
def test_a_malformed_batch_says_what_is_missing(chain, push, batch, field):
    response = push(batch)
    assert response.status_code == 400
    assert field in [e["field"] for e in response.json()["errors"]]


def test_an_indicator_of_another_project_is_not_found(chain, push):
    stranger = IndicatorFactory()
    rows = [{"indicator": stranger.pk, "period": "2026-01-01", "value": 1}]
    response = push({"idempotency_key": "k", "rows": rows})
    assert response.status_code == 400
    assert "No indicator with id" in response.json()["errors"][0]["message"]
    assert not stranger.measurements.exists()


def test_a_viewer_or_governor_cannot_push(chain, push):
    _, _, indicator = chain
    for role in ("viewer", "governor"):
        response = push({"idempotency_key": role, "rows": month_rows(indicator)}, role=role)
        assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_the_values_are_recorded_by_the_tokens_owner(chain, push):
    _, _, indicator = chain
    push({"idempotency_key": "k", "rows": month_rows(indicator)})
    batch = MeasurementBatch.objects.get()
    measurement = Measurement.objects.first()
    assert measurement.recorded_by == batch.user
    assert measurement.history.first().history_user == batch.user


def test_a_huge_value_or_a_nul_character_is_a_row_error_not_a_crash(project, chain, push):
    _, _, indicator = chain
    rows = [
        {"indicator": indicator.pk, "period": "2026-01-01", "value": "1e400"},
        {"indicator": indicator.pk, "period": "2026-02-01", "value": 10**400},
        {"indicator": indicator.pk, "period": "2026-03-01", "value": 1, "note": "a\x00b"},
    ]
    response = push({"idempotency_key": "k", "rows": rows[:2]})
    assert response.status_code == 400
    assert [e["row"] for e in response.json()["errors"]] == [1, 2]
    assert "too large" in response.json()["errors"][0]["message"]
    response = push({"idempotency_key": "k", "rows": rows[2:]})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "note"
    assert not Measurement.objects.exists()


def test_an_id_beyond_the_database_range_is_not_found(chain, push, project, lead, api_as):
    client = api_as(lead)
    assert client.get(f"/api/v1/projects/{2**63}/indicators/").status_code == 404
    assert client.get(f"/api/v1/assessments/{2**40}/").status_code == 404
