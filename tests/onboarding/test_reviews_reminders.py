"""Review reminders: who gets a mail, in which language, once; overdue reviews once more; the
dry run; the management command."""

from __future__ import annotations

import datetime
import smtplib
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.formats import date_format

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.onboarding import services_reviews
from leerplek.onboarding.models import Onboarding, OnboardingStatus, ProgressReview
from leerplek.people.models import Employee
from tests.factories import Cast, UserFactory
from tests.onboarding.factories import start
from tests.onboarding.factories_reviews import (
    TODAY,
    days_ago,
    hold,
    newcomer_in_packaging,
    review,
    running,
)

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    """An SMTP server that refuses every recipient."""

    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPRecipientsRefused({"x@example.test": (550, b"no such user")})


def send(capture: Any, **options: Any) -> services_reviews.ReminderRun:
    with capture(execute=True):
        return services_reviews.review_reminders_send(**options)


def due_tomorrow(cast: Cast, **values: Any) -> Onboarding:
    """An onboarding whose first review (day 30) is tomorrow: within the reminder days."""
    return running(cast, days=29, **values)


def addresses() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_due_review_mails_newcomer_peter_and_line_manager_once(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    onboarding = due_tomorrow(cast)
    peter = onboarding.employee.guided_by.get().guide
    run = send(django_capture_on_commit_callbacks)
    assert run.sent == 3
    assert addresses() == sorted(
        [onboarding.employee.email, peter.email, cast.employees[Role.MANAGER].email]
    )
    first = review(onboarding, 1)
    assert first.reminded_on == TODAY
    to_manager = next(m for m in mail.outbox if m.to == [cast.employees[Role.MANAGER].email])
    assert to_manager.subject == (
        f"Progress review of {onboarding.employee} on {date_format(first.planned_on, 'j F')}"
    )
    assert "You are the line manager." in to_manager.body
    entry = AuditEntry.objects.get(action="onboarding.review_reminded")
    assert sorted(entry.after["to"]) == addresses()

    mail.outbox.clear()
    again = send(django_capture_on_commit_callbacks)
    assert (again.sent, len(again.reviews), mail.outbox) == (0, 0, [])


def test_each_mail_is_in_the_language_of_its_reader(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    onboarding = due_tomorrow(cast)
    peter = onboarding.employee.guided_by.get().guide
    peter.user = UserFactory(email="marleen@example.test", language="fr")
    peter.save()
    send(django_capture_on_commit_callbacks)
    to_peter = next(m for m in mail.outbox if m.to == [peter.email])
    with translation.override("fr"):
        day = date_format(review(onboarding, 1).planned_on, "j F")
    assert day in to_peter.subject  # the month in French
    to_manager = next(m for m in mail.outbox if m.to == [cast.employees[Role.MANAGER].email])
    assert date_format(review(onboarding, 1).planned_on, "j F") in to_manager.subject


def test_links_lead_to_the_review_when_the_address_is_known(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    onboarding = due_tomorrow(cast)
    send(django_capture_on_commit_callbacks, base_url="https://leerplek.example.be/")
    first = review(onboarding, 1)
    to_manager = next(m for m in mail.outbox if m.to == [cast.employees[Role.MANAGER].email])
    assert f"https://leerplek.example.be/onboarding/reviews/{first.pk}/record/" in to_manager.body
    to_newcomer = next(m for m in mail.outbox if m.to == [onboarding.employee.email])
    assert "/record/" not in to_newcomer.body
    assert "https://leerplek.example.be/onboarding/mine/" in to_newcomer.body


def test_an_overdue_review_gets_one_more_mail(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    onboarding = running(cast, days=45)  # review 1 on day 30: 15 days ago, overdue
    first = review(onboarding, 1)
    ProgressReview.objects.filter(pk=first.pk).update(reminded_on=days_ago(16))
    run = send(django_capture_on_commit_callbacks)
    assert run.sent == 3
    assert all(
        m.subject == f"Overdue: progress review of {onboarding.employee}" for m in mail.outbox
    )
    mail.outbox.clear()
    assert send(django_capture_on_commit_callbacks).sent == 0
    assert mail.outbox == []


def test_held_far_off_and_closed_reviews_get_no_mail(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    held = running(cast, days=29)
    hold(cast, review(held, 1), held_on=TODAY)
    start(cast, employee=newcomer_in_packaging(cast), start_date=days_ago(20))  # review in 10 days
    closed = start(cast, employee=newcomer_in_packaging(cast), start_date=days_ago(40))
    Onboarding.objects.filter(pk=closed.pk).update(status=OnboardingStatus.CANCELLED)
    run = send(django_capture_on_commit_callbacks)
    assert (run.reviews, mail.outbox) == ([], [])


def test_a_manager_gets_one_mail_for_all_his_newcomers(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    first = due_tomorrow(cast)
    second = start(cast, employee=newcomer_in_packaging(cast), start_date=days_ago(29))
    send(django_capture_on_commit_callbacks)
    manager_mails = [m for m in mail.outbox if m.to == [cast.employees[Role.MANAGER].email]]
    assert len(manager_mails) == 1
    assert manager_mails[0].subject == "2 progress reviews to hold"
    assert str(first.employee) in manager_mails[0].body
    assert str(second.employee) in manager_mails[0].body


def test_people_without_an_address_are_listed(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    onboarding = due_tomorrow(cast)
    Employee.objects.filter(pk=onboarding.employee_id).update(email="")
    run = send(django_capture_on_commit_callbacks)
    assert run.without_address == [str(onboarding.employee)]
    assert run.sent == 2


def test_a_dry_run_sends_and_changes_nothing(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    onboarding = due_tomorrow(cast)
    run = send(django_capture_on_commit_callbacks, dry_run=True)
    assert len(run.recipients) == 3
    assert mail.outbox == []
    assert review(onboarding, 1).reminded_on is None
    assert not AuditEntry.objects.filter(action="onboarding.review_reminded").exists()


# Without a test transaction around it, as from cron: mails leave when the command's own
# transaction commits, before it reports.
@pytest.mark.django_db(transaction=True)
def test_the_command_reports_what_it_sent(cast: Cast) -> None:
    due_tomorrow(cast)
    out = StringIO()
    call_command("send_review_reminders", stdout=out)
    assert f"1 review(s) reminded on {TODAY.isoformat()}: 3 mail(s) sent." in out.getvalue()
    out = StringIO()
    call_command("send_review_reminders", stdout=out)
    assert "0 review(s) reminded" in out.getvalue()
    assert len(mail.outbox) == 3


def test_the_command_dry_run_lists_the_recipients(cast: Cast) -> None:
    onboarding = due_tomorrow(cast)
    out = StringIO()
    call_command("send_review_reminders", "--dry-run", stdout=out)
    assert f"{onboarding.employee.email} [en]: {onboarding.employee} #1" in out.getvalue()
    assert "Dry run: 1 review(s), 3 mail(s) would go out" in out.getvalue()
    assert mail.outbox == []


def test_the_command_plans_reviews_of_older_onboardings_first(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    onboarding = due_tomorrow(cast)
    onboarding.reviews.all().delete()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_review_reminders", stdout=out)
    assert "Planned the reviews of 1 onboarding(s)." in out.getvalue()
    assert onboarding.reviews.count() == 6
    assert len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True)
def test_the_command_fails_loudly_when_mail_cannot_leave(cast: Cast, settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    onboarding = due_tomorrow(cast)
    err = StringIO()
    with pytest.raises(CommandError, match="3 mail"):
        call_command("send_review_reminders", stdout=StringIO(), stderr=err)
    assert "Not sent: manager@example.test" in err.getvalue()
    # Marked anyway: a reminder goes out at most once, never in a loop of retries.
    assert review(onboarding, 1).reminded_on == TODAY


def test_the_date_option_acts_as_another_day(cast: Cast) -> None:
    onboarding = running(cast, days=20)  # review 1 in 10 days
    out = StringIO()
    later = TODAY + datetime.timedelta(days=8)
    call_command("send_review_reminders", "--dry-run", "--date", later.isoformat(), stdout=out)
    assert f"{onboarding.employee} #1" in out.getvalue()
