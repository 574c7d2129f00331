"""Work instructions: the TWI breakdown on a draft, photos checked by content, translations with
the Dutch always there, four-eyes approval, the read-request fan-out to holders in one insert,
holders confirming, two-versions signals and station codes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.training import services_instructions as services
from leerplek.training.models import (
    InstructionHolder,
    InstructionStep,
    InstructionVersion,
    KeyPoint,
    ReadRequest,
    SignalStatus,
    StationCode,
    VersionStatus,
)
from leerplek.training.selectors_instructions import reading
from tests.factories import Cast, EmployeeFactory
from tests.training.factories import approved_instruction, station
from tests.training.factories_instructions import (
    approved_version,
    draft_of,
    held_by,
    language,
    upload,
)
from tests.training.factories_leittext import acting, learner, user_of

pytestmark = pytest.mark.django_db
ERRORS = services.ERRORS


def errors(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return caught.value.message_dict


def new_instruction(cast: Cast, role: Role = Role.INSTRUCTOR) -> InstructionVersion:
    instruction = services.instruction_create(
        organisation=cast.organisation,
        by=acting(cast, role),
        code="WI-SAUS-02",
        title="Saus afvullen",
        workstation=station(cast),
    )
    return instruction.versions.get()


def test_an_author_breaks_a_job_down_in_steps_key_points_and_reasons(cast: Cast) -> None:
    version = new_instruction(cast)
    author = acting(cast, Role.INSTRUCTOR)
    step = services.step_add(
        version=version,
        by=author,
        text={"nl": "Zet de emmer onder de vulkop"},
        photo=upload(),
    )
    services.key_point_add(
        step=step,
        by=author,
        kind="quality",
        text={"nl": "Emmer recht"},
        reason={"nl": "Anders loopt de saus over"},
    )
    services.key_point_add(
        step=step,
        by=author,
        kind="safety",
        text={"nl": "Handschoenen aan"},
        reason={"nl": "De saus is 80 °C"},
    )
    step.refresh_from_db()
    assert step.photo.name.endswith(".png")
    view = reading(version=version, language="nl", offered={})
    # Safety comes first, whatever the order it was written in.
    assert [p.point.kind for p in view.steps[0].key_points] == ["safety", "quality"]
    assert view.steps[0].photo_url.endswith(f"/steps/{step.pk}/photo/")
    assert AuditEntry.objects.filter(action="training.instruction_key_point_added").count() == 2


def test_a_step_needs_its_dutch_text_and_a_key_point_its_reason(cast: Cast) -> None:
    version = new_instruction(cast)
    author = acting(cast, Role.INSTRUCTOR)
    with pytest.raises(ValidationError) as caught:
        services.step_add(version=version, by=author, text={"nl": "  ", "pl": "Postaw wiadro"})
    assert errors(caught)["text"] == [str(ERRORS["step_text"])]
    step = services.step_add(version=version, by=author, text={"nl": "Vul de emmer"})
    with pytest.raises(ValidationError) as caught:
        services.key_point_add(
            step=step, by=author, kind="safety", text={"nl": "Bril op"}, reason={}
        )
    assert "reason" in errors(caught)
    assert not KeyPoint.objects.exists()


def test_a_photo_that_is_no_image_or_too_large_is_refused(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    version = new_instruction(cast)
    author = acting(cast, Role.INSTRUCTOR)
    fake = SimpleUploadedFile("stap.png", b"%PDF-1.4 not a photo", "image/png")
    with pytest.raises(ValidationError) as caught:
        services.step_add(version=version, by=author, text={"nl": "Vul"}, photo=fake)
    assert "stap.png is not a photo inside" in errors(caught)["photo"][0]
    settings.LEERPLEK = {**settings.LEERPLEK, "TRAINING_PHOTO_MAX_MB": 0}
    with pytest.raises(ValidationError) as caught:
        services.step_add(version=version, by=author, text={"nl": "Vul"}, photo=upload())
    assert "at most 0 MB" in errors(caught)["photo"][0]
    assert not InstructionStep.objects.exists()


def test_an_approved_version_never_changes(cast: Cast) -> None:
    instruction = approved_instruction(cast)
    step = approved_version(instruction).steps.first()
    assert step is not None
    with pytest.raises(ValidationError) as caught:
        services.step_update(step=step, by=acting(cast, Role.HR), text={"nl": "Anders"})
    assert "version" in errors(caught)
    step.refresh_from_db()
    assert step.text["nl"] == "Stap 1"


def test_translations_fall_back_to_dutch_with_a_mark(cast: Cast) -> None:
    polish = language(cast)
    arabic = language(cast, code="ar", name="العربية", rtl=True)
    instruction = approved_instruction(cast, steps=2)
    draft = draft_of(cast, instruction)
    first = draft.steps.order_by("position").first()
    assert first is not None
    point = first.key_points.get()
    count = services.translation_save(
        version=draft,
        by=acting(cast, Role.INSTRUCTOR),
        language="pl",
        texts={
            "title": "Nalewanie sosu",
            f"step-{first.pk}": "Krok 1",
            f"point-{point.pk}": "Rękawice",
        },
    )
    assert count == 2
    draft.refresh_from_db()
    offered = {"pl": polish, "ar": arabic}
    view = reading(version=draft, language="pl", offered=offered)
    assert view.title.value == "Nalewanie sosu"
    assert not view.steps[0].text.fallback
    assert view.steps[1].text.value == "Stap 2"
    assert view.steps[1].text.fallback
    assert view.steps[0].key_points[0].reason.fallback  # the reason is not translated yet
    assert reading(version=draft, language="ar", offered=offered).is_rtl
    with pytest.raises(ValidationError):
        services.translation_save(
            version=draft, by=acting(cast, Role.INSTRUCTOR), language="de", texts={}
        )


def test_approval_is_four_eyes_and_asks_every_holder_to_read_the_change(cast: Cast) -> None:
    instruction = approved_instruction(cast)
    people = [EmployeeFactory(organisation=cast.organisation) for _ in range(25)]
    held_by(instruction, people)
    draft = draft_of(cast, instruction)
    with pytest.raises(ValidationError) as caught:
        services.version_approve(version=draft, by=acting(cast, Role.HR))
    assert "approved_by" in errors(caught)  # HR started the draft
    with pytest.raises(ValidationError) as caught:
        services.version_approve(version=draft, by=acting(cast, Role.MANAGER))
    assert "change_summary" in errors(caught)
    services.version_update(
        version=draft,
        by=acting(cast, Role.INSTRUCTOR),
        title={"nl": "Saus afvullen"},
        change_summary={"nl": "Stap 2: eerst de deksel controleren"},
    )
    with CaptureQueriesContext(connection) as queries:
        services.version_approve(version=draft, by=acting(cast, Role.MANAGER))
    inserts = [
        q
        for q in queries.captured_queries
        if "INSERT INTO" in q["sql"] and "read_request" in q["sql"]
    ]
    assert len(inserts) == 1  # one bulk insert, not one per holder
    assert ReadRequest.objects.filter(version=draft).count() == 25
    # Holders keep the old version (and their level) until they confirm.
    assert InstructionHolder.objects.filter(version=draft).count() == 0
    assert approved_version(instruction).pk == draft.pk
    assert instruction.versions.filter(status=VersionStatus.SUPERSEDED).count() == 1


def test_a_holder_confirms_his_own_read_request_only(cast: Cast) -> None:
    instruction = approved_instruction(cast)
    held_by(instruction, [learner(cast)])
    draft = draft_of(cast, instruction)
    services.version_update(
        version=draft, by=acting(cast, Role.HR), title={"nl": "X"}, change_summary={"nl": "Nieuw"}
    )
    services.version_approve(version=draft, by=acting(cast, Role.MANAGER))
    read = ReadRequest.objects.get()
    with pytest.raises(ValidationError):
        services.read_confirm(request=read, by=acting(cast, Role.HR))
    services.read_confirm(request=read, by=user_of(learner(cast), cast))
    read.refresh_from_db()
    assert read.confirmed_at is not None
    assert InstructionHolder.objects.get().version_id == draft.pk
    with pytest.raises(ValidationError):
        services.read_confirm(request=read, by=user_of(learner(cast), cast))


def test_a_two_versions_signal_goes_to_a_round_table_and_a_new_version(cast: Cast) -> None:
    instruction = approved_instruction(cast)
    step = approved_version(instruction).steps.first()
    signal = services.signal_raise(
        instruction=instruction,
        by=user_of(learner(cast), cast),
        raised_by=learner(cast),
        description="Jan vult eerst en zet dan de deksel",
        step=step,
    )
    assert signal.status == SignalStatus.OPEN
    with pytest.raises(PermissionDenied):
        services.signal_handle(
            signal=signal, by=user_of(learner(cast), cast), status=SignalStatus.NO_CHANGE
        )
    services.signal_handle(
        signal=signal, by=acting(cast, Role.MANAGER), status=SignalStatus.ROUND_TABLE
    )
    with pytest.raises(ValidationError) as caught:
        services.signal_handle(
            signal=signal, by=acting(cast, Role.MANAGER), status=SignalStatus.NEW_VERSION
        )
    assert "resulting_version" in errors(caught)
    draft = draft_of(cast, instruction)
    closed = services.signal_handle(
        signal=signal,
        by=acting(cast, Role.MANAGER),
        status=SignalStatus.NEW_VERSION,
        outcome="Deksel eerst",
        resulting_version=draft,
    )
    assert closed.closed_at is not None


def test_a_workstation_keeps_one_code_and_its_removal_is_remembered(cast: Cast) -> None:
    workstation = station(cast)
    first = services.station_code_for(workstation)
    assert services.station_code_for(workstation).token == first.token
    workstation.delete()
    code = StationCode.objects.get(pk=first.pk)
    assert code.workstation_id is None
    assert code.label == "Mengketel 1"


def test_a_worker_cannot_write_instructions(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        new_instruction(cast, role=Role.EMPLOYEE)
