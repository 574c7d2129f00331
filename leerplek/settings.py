"""Leerplek settings: one module, read from the environment, with safe local defaults.

Production sets at least SECRET_KEY, DEBUG=0, ALLOWED_HOSTS and DATABASE_URL (see docs/deploy.md).
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# The fallback key is for local development only: `check --deploy` flags it; production sets one.
SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-local-development-key-change-me")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "leerplek.core",
    "leerplek.people",
    "leerplek.competences",
    "leerplek.onboarding",
    "leerplek.training",
    "leerplek.registration",
    "leerplek.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "leerplek.core.middleware.AccessMiddleware",
    "leerplek.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "leerplek.urls"
WSGI_APPLICATION = "leerplek.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "leerplek.core.context_processors.access",
            ],
            "builtins": ["leerplek.core.templatetags.leerplek", "rules.templatetags.rules"],
        },
    }
]
FORM_RENDERER = "leerplek.core.forms.FormRenderer"

# SQLite in the working directory by default (WAL mode, see core.apps); PostgreSQL via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "leerplek.core.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "leerplek" / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "leerplek_language"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Content Security Policy: no inline scripts or styles; everything is served from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# django-axes: lock an email + address pair out after repeated failed log-ins.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Leerplek's own settings. Rules the brochure states as one company's practice are defaults here.
LEERPLEK: dict[str, Any] = {
    # Groups smaller than this are suppressed in consultation-body aggregates (privacy).
    "MIN_GROUP_SIZE": int(os.environ.get("LEERPLEK_MIN_GROUP_SIZE", "5")),
    "PAGE_SIZE": 25,
    "IMPORT_MAX_ROWS": 50_000,
    # Knowledge-retention risk (COMP-06): how far ahead to look for leavers, in months, and the
    # age from which a person counts as leaving for retirement.
    "RETENTION_HORIZON_MONTHS": int(os.environ.get("LEERPLEK_RETENTION_HORIZON_MONTHS", "24")),
    "RETIREMENT_AGE": int(os.environ.get("LEERPLEK_RETIREMENT_AGE", "65")),
    # Largest evidence file (a PDF or photo with an assessment), in MB.
    "EVIDENCE_MAX_MB": int(os.environ.get("LEERPLEK_EVIDENCE_MAX_MB", "10")),
    # An assessment whose validity ends within this many days is marked "expires soon".
    "EXPIRY_WARNING_DAYS": int(os.environ.get("LEERPLEK_EXPIRY_WARNING_DAYS", "60")),
    # Coverage over time: how many months back the coverage chart goes.
    "COVERAGE_MONTHS": int(os.environ.get("LEERPLEK_COVERAGE_MONTHS", "24")),
    # How many newcomers one peter/meter guides at a time, until the pool (#5, MEN-05) sets it
    # per person. [U] No legal maximum; 2 follows sector practice of one-to-one guidance with
    # room for an overlap.
    "MAX_MENTEES_DEFAULT": int(os.environ.get("LEERPLEK_MAX_MENTEES_DEFAULT", "2")),
    # Progress reviews (ONB-06): a review is "due soon" this many days before its date, when the
    # reminder command mails the participants, and overdue this many days after it. [U] house
    # practice, no legal rule.
    "REVIEW_REMINDER_DAYS": int(os.environ.get("LEERPLEK_REVIEW_REMINDER_DAYS", "3")),
    "REVIEW_GRACE_DAYS": int(os.environ.get("LEERPLEK_REVIEW_GRACE_DAYS", "7")),
    # A peter/meter follows a refresher training this many months after the last one (MEN-06).
    "GUIDE_REFRESHER_MONTHS": int(os.environ.get("LEERPLEK_GUIDE_REFRESHER_MONTHS", "36")),
    # Outcome metrics (ONB-10): leavers within these many days of the start count as early
    # leavers: "the first week" and "the first 6 months".
    "EARLY_LEAVER_WEEK_DAYS": 7,
    "EARLY_LEAVER_PERIOD_DAYS": 183,
    # On-the-job training (#6). The largest photo of an instruction step or a test question, in
    # MB; photos are checked by their content, not their name.
    "TRAINING_PHOTO_MAX_MB": int(os.environ.get("LEERPLEK_TRAINING_PHOTO_MAX_MB", "5")),
    # TWI: a job of more than 7 important steps, or a step of more than 5 key points, is better
    # split; the instruction editor warns above these. [U] TWI practice, no rule.
    "INSTRUCTION_MAX_STEPS": 7,
    "INSTRUCTION_MAX_KEY_POINTS": 5,
    # Holders of an instruction confirm a new version within this many days (OJT-08), unless
    # the version says otherwise.
    "READ_CONFIRM_DAYS": int(os.environ.get("LEERPLEK_READ_CONFIRM_DAYS", "14")),
    # Tests: the brochure's Raffinaderij X case, 65 % with 2 retakes, as the defaults of a new
    # test (TEST-01). [U] one company's practice.
    "TEST_PASS_PERCENT": 65,
    "TEST_MAX_ATTEMPTS": 3,
    # Learners who score at least this are listed as candidate co-authors of new work
    # instructions (TEST-05, "werknemers die goed scoren"). [U] our default.
    "TEST_HIGH_SCORE_PERCENT": int(os.environ.get("LEERPLEK_TEST_HIGH_SCORE_PERCENT", "90")),
    # Certificates: the holder, his manager and HR are warned this many days before expiry
    # (TEST-07); the expiry command assigns the recertification on the day itself.
    "CERTIFICATE_WARNING_DAYS": int(os.environ.get("LEERPLEK_CERTIFICATE_WARNING_DAYS", "60")),
    # Learning registration, the social balance, the plan and the training right (#7). Rules
    # not verified in the law ([U] in the Belgian rules note) are settings here, with the
    # documented default (docs/registration.md).
    # [U] The SB has a men and a women column only; a person registered with gender "x" is
    # counted in this column ("m" or "f").
    "SB_UNSTATED_GENDER_COLUMN": os.environ.get("LEERPLEK_SB_UNSTATED_GENDER_COLUMN", "m"),
    # [U] How the cost of an activity that names no participant is shared over its counted
    # participants: "hours" (pro rata to their hours) or "people" (equal shares).
    "SB_COST_SPLIT": os.environ.get("LEERPLEK_SB_COST_SPLIT", "hours"),
    # [V, NBB FAQ Q3] Company-level fund contributions are split men/women pro rata to the staff
    # cost per gender (10231/10232) when the year has it ("auto"), else to the headcount at year
    # end (1203/1213). "staff_cost" or "headcount" forces one rule.
    "SB_CONTRIBUTION_SPLIT": os.environ.get("LEERPLEK_SB_CONTRIBUTION_SPLIT", "auto"),
    # [U] Person types counted in formal and informal training (own staff; agency workers count
    # at the agency) and in initial training (every person trained under an initial scheme).
    "SB_CONTINUING_PERSON_TYPES": ("employee",),
    "SB_INITIAL_PERSON_TYPES": (
        "employee",
        "agency",
        "apprentice",
        "vdab_trainee",
        "intern",
        "ibo",
        "job_seeker",
    ),
    # [U] Initial training lasts at least this many months (REG-10).
    "INITIAL_MIN_MONTHS": 6,
    # [U] Hours in one training day, to turn hours into days (rights, days per FTE).
    "HOURS_PER_DAY": os.environ.get("LEERPLEK_HOURS_PER_DAY", "7.6"),
    # The interprofessional target: on average 5 training days per FTE per year (WWW 2017).
    "TRAINING_DAYS_TARGET": 5,
    # Individual training right (Arbeidsdeal 2022, belgian-rules.md §3.2): days per full-time
    # worker per year by company size in FTE; a sector rule (joint committee) can override.
    # [V-secondary] <10 FTE none, 10-19 one day, >=20 five days from 2024.
    "RIGHT_DAYS_BY_SIZE": ((0, 0), (10, 1), (20, 5)),
    # The individual right starts in 2022; the top size class had 3 days in 2022 and 4 in 2023.
    "RIGHT_FIRST_YEAR": 2022,
    "RIGHT_DAYS_TOP_CLASS_EARLY": ((2022, 3), (2023, 4)),
    # [U] Person types with a right: own staff under an employment contract (agency workers have
    # theirs at the agency; apprentices, interns and trainees are not the organisation's workers).
    "RIGHT_PERSON_TYPES": ("employee",),
    # Training plan (§3.4): needed from this many workers; the draft goes to the consultation
    # body this many days before the meeting; advice by MM-DD; in force by MM-DD; filed within
    # this many months of entering into force; warnings this many days ahead.
    "PLAN_MIN_WORKERS": 20,
    "PLAN_DRAFT_DAYS_BEFORE_MEETING": 15,
    "PLAN_ADVICE_BY": "03-15",
    "PLAN_IN_FORCE_BY": "03-31",
    "PLAN_FILING_MONTHS": 1,
    "PLAN_WARNING_DAYS": int(os.environ.get("LEERPLEK_PLAN_WARNING_DAYS", "14")),
    # [V-secondary, sources differ] Risk groups the plan pays attention to; configurable.
    "PLAN_RISK_GROUPS": (
        ("50_plus", "50+"),
        ("disability", "disability"),
        ("migration", "migration background"),
        ("low_skilled", "low-skilled"),
        ("young", "younger workers"),
        ("shortage", "shortage occupations"),
    ),
    # Follow-up of applying a course at work (PLAN-08): due this many weeks after the course,
    # made for courses that ended at most this many days ago.
    "PLAN_TRANSFER_WEEKS": 6,
    "PLAN_TRANSFER_LOOKBACK_DAYS": 365,
    # [U] Drafts of workplace learning (docs/registration-drafts.md): hours counted per week of
    # peter/meter guidance, per test taken and per certificate obtained; rows written per batch.
    "DRAFT_GUIDANCE_HOURS_PER_WEEK": 1,
    "DRAFT_TEST_HOURS": 1,
    "DRAFT_CERTIFICATE_HOURS": 1,
    "DRAFT_BATCH_SIZE": 2000,
    # Session scheduling: the solver stops after this many seconds with the best plan found;
    # the start of each shift part a session can be put in.
    "SCHEDULER_TIME_LIMIT_S": 10,
    "SCHEDULER_PART_STARTS": {"early": "06:00", "late": "14:00", "night": "22:00"},
}

# Mail (review reminders). Development prints mails on the console; production sets an SMTP
# server with EMAIL_URL-style variables (docs/deploy.md).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Leerplek <leerplek@localhost>")

# Peter/meter matching (MEN-04): points per reason; docs/onboarding.md explains the score.
LEERPLEK_MATCH_WEIGHTS = {
    "same_job": 30,
    "same_workstation": 20,
    "teaches_gap": 10,
    "covers_gap": 4,
    "same_shift": 15,
    "same_unit": 10,
    "shared_language": 15,
    "free_place": 5,
}
# The weeks of an onboarding in which newcomer and peter/meter answer the satisfaction pulse.
LEERPLEK_PULSE_WEEKS = (1, 4, 13, 26)
# Machine ranking (OJT-09): the weight of each of the four sauce-kitchen questions in the score.
LEERPLEK_RANKING_WEIGHTS = {
    "problems": 3,
    "shared_use": 2,
    "training_time": 2,
    "downtime": 3,
}
