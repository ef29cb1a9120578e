"""The REST API, v1: thin views over `api.selectors` and `api.services`. Every project is fetched
through `projects.access.get_project_for_user` and every round through the rounds visible to the
reader's organisations, so the API refuses what the pages refuse: an outsider gets 404, a role
without the right 403."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from projects.access import Need, get_project_for_user
from projects.selectors.chain import project_chain

from . import selectors
from . import serializers as shapes
from .pagination import BadQuery, Pages
from .services import BatchKeyReused, BatchRejected, measurement_batch_push

REFUSALS = dict.fromkeys((400, 401, 403, 404, 429), shapes.ErrorSerializer)
UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description="Only what changed at or after this moment (ISO 8601, e.g. "
    "2026-04-01T00:00:00Z): for a nightly job that fetches only the changes.",
)


def _updated_since(request):
    raw = request.query_params.get("updated_since")
    if raw is None:
        return None
    try:
        return serializers.DateTimeField().to_internal_value(raw)
    except serializers.ValidationError:
        raise BadQuery(
            "updated_since must be a date and time in ISO 8601, e.g. 2026-04-01T00:00:00Z."
        ) from None


def _read(serializer, *, many=False, since=False, **extra):
    responses = {200: serializer(many=many), **REFUSALS}
    parameters = [UPDATED_SINCE] if since else []
    return extend_schema(responses=responses, parameters=parameters, **extra)


# Ids beyond PostgreSQL's integer column match nothing: answered 404 before any query.
LARGEST_ID = 2**31 - 1


class ApiView(generics.GenericAPIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if any(key.endswith("_id") and value > LARGEST_ID for key, value in kwargs.items()):
            raise Http404("No such record.")
        repeated = sorted(k for k, v in request.query_params.lists() if len(v) > 1)
        if repeated:
            raise BadQuery(f"Send each query parameter once: {', '.join(repeated)} is repeated.")


class ListView(ApiView):
    pagination_class = Pages

    def paged(self, rows, data=lambda row: row):
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([data(row) for row in page])


class OrganisationList(ListView):
    @_read(shapes.OrganisationSerializer, many=True, summary="Your organisations")
    def get(self, request):
        memberships = selectors.organisations_for_user(request.user)
        return self.paged(memberships, selectors.organisation_data)


class ProjectList(ListView):
    @_read(shapes.ProjectSerializer, many=True, since=True, summary="The projects you may see")
    def get(self, request):
        projects = selectors.projects_for_user(request.user, updated_since=_updated_since(request))
        return self.paged(projects, selectors.project_data)


class ProjectDetail(ApiView):
    @_read(shapes.ProjectSerializer, summary="A project")
    def get(self, request, project_id: int):
        project = get_project_for_user(request.user, project_id)
        return Response(selectors.project_data(project))


class ProjectChain(ApiView):
    @_read(shapes.TaskSerializer, many=True, summary="The chain: tasks, impacts, indicators")
    def get(self, request, project_id: int):
        project = get_project_for_user(request.user, project_id)
        return Response(selectors.chain_data(project_chain(project, values=False)))


class IndicatorList(ListView):
    @_read(
        shapes.IndicatorSerializer,
        many=True,
        since=True,
        summary="Indicators with their values and SPC state",
        description="Each indicator with its values, each value's SPC signal, the limits of "
        "each period, and the variation and assurance icons of Making Data Count.",
    )
    def get(self, request, project_id: int):
        project = get_project_for_user(request.user, project_id)
        since = _updated_since(request)
        indicators = selectors.chain_indicators(project_chain(project))
        if since is not None:
            changed = selectors.changed_indicator_ids(project, since)
            indicators = [i for i in indicators if i.pk in changed]
        return self.paged(indicators, selectors.indicator_data)


class TidyFeed(ListView):
    @_read(
        shapes.TidyRowSerializer,
        many=True,
        since=True,
        summary="Tidy feed: one row per indicator per period (for Power BI)",
        description="The spreadsheet export's columns, with each period's SPC signal and the "
        "indicator's icons. Page through it with `next`.",
    )
    def get(self, request, project_id: int):
        project = get_project_for_user(request.user, project_id)
        measurements = selectors.tidy_measurements(project, updated_since=_updated_since(request))
        page = self.paginate_queryset(measurements)
        indicators = {i.pk: i for i in selectors.chain_indicators(project_chain(project))}
        return self.get_paginated_response(selectors.tidy_rows(page, indicators))


class ObjectiveList(ApiView):
    @_read(shapes.ObjectiveSerializer, many=True, summary="Objectives with their status")
    def get(self, request, project_id: int):
        project = get_project_for_user(request.user, project_id)
        return Response(selectors.objectives_data(project, today=timezone.localdate()))


class ReadinessList(ApiView):
    @_read(shapes.ReadinessSerializer, many=True, summary="Readiness checklists and verdicts")
    def get(self, request, project_id: int):
        project = get_project_for_user(request.user, project_id)
        return Response(selectors.readiness_data(project))


class RoundList(ListView):
    @_read(
        shapes.RoundSerializer,
        many=True,
        summary="Self-assessment rounds",
        description="Your organisations' rounds, and the submitted rounds partners share "
        "with them.",
    )
    def get(self, request):
        return self.paged(selectors.rounds_for_user(request.user), selectors.round_data)


class RoundDetail(ApiView):
    @_read(shapes.RoundResultsSerializer, summary="A self-assessment round's results")
    def get(self, request, round_id: int):
        assessment = selectors.rounds_for_user(request.user).filter(pk=round_id).first()
        if assessment is None:
            raise Http404("No such round.")
        return Response(selectors.round_results_data(assessment))


class MeasurementBatchCreate(ApiView):
    serializer_class = shapes.BatchSerializer

    @extend_schema(
        summary="Push a batch of measurements",
        description="All rows are recorded or none: a row with a problem refuses the whole "
        "batch, and the answer lists every problem by row. The rows are checked by the "
        "spreadsheet import's rules. Sending the same batch again (same idempotency key, same "
        "rows) records nothing and answers 200 with the first result; the same key with other "
        "rows is refused with 409. Needs a read-and-write token and the contributor or lead "
        "role on the project.",
        request=shapes.BatchSerializer,
        responses={
            201: shapes.BatchResultSerializer,
            200: shapes.BatchResultSerializer,
            400: shapes.BatchErrorSerializer,
            409: shapes.ErrorSerializer,
            **REFUSALS,
        },
    )
    def post(self, request, project_id: int):
        project = get_project_for_user(request.user, project_id, need=Need.EDIT)
        batch = self.get_serializer(data=request.data)
        if not batch.is_valid():
            errors = [
                {"row": None, "field": field, "message": str(message)}
                for field, messages in _flatten(batch.errors)
                for message in messages
            ]
            return Response({"detail": "The batch is not valid.", "errors": errors}, status=400)
        try:
            result = measurement_batch_push(
                project=project,
                user=request.user,
                token=request.auth if hasattr(request.auth, "can_write") else None,
                idempotency_key=batch.validated_data["idempotency_key"],
                rows=request.data["rows"],
            )
        except BatchRejected as error:
            detail = "Nothing was recorded: correct the rows below and send the batch again."
            return Response({"detail": detail, "errors": error.errors}, status=400)
        except BatchKeyReused as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        saved = result.batch
        data = {
            "id": saved.pk,
            "idempotency_key": saved.idempotency_key,
            "replayed": result.replayed,
            "rows": saved.rows,
            "created": saved.created,
            "replaced": saved.replaced,
            "unchanged": saved.unchanged,
            "recorded_at": saved.recorded_at,
            "token_name": saved.token_name,
        }
        return Response(data, status=200 if result.replayed else 201)


@csrf_exempt  # it changes nothing; a POST gets the same JSON 404
@login_not_required
def not_found(request):
    return JsonResponse({"detail": "No such API route: see /api/docs/."}, status=404)


def _flatten(errors, prefix=""):
    """DRF's nested errors as (field, messages): rows.3.value → ["This field is required."],
    with rows counted from 1 as in the import's messages."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            if key == "non_field_errors":
                yield from _flatten(value, prefix)
                continue
            name = str(key + 1) if isinstance(key, int) else str(key)
            yield from _flatten(value, f"{prefix}.{name}" if prefix else name)
    elif isinstance(errors, list) and errors and not isinstance(errors[0], str):
        for index, value in enumerate(errors):
            if value:
                yield from _flatten(value, f"{prefix}.{index + 1}")
    else:
        yield prefix or None, errors if isinstance(errors, list) else [errors]
