"""Settings for nikyoten, read from the environment (see .env.example); development defaults, production by DEBUG=false."""

import importlib.util
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
else:
    # Production must fail fast without a real secret.
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("NIKYOTEN_SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "nikyoten.core",
    "nikyoten.accounts",
    "nikyoten.regions",
    "nikyoten.support",
    "nikyoten.housing",
    "nikyoten.matching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "nikyoten.core.middleware.NotFoundMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# SQLite (WAL, writers serialised) by default; PostgreSQL when DATABASE_URL says so.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Public API reads without credentials are served from the cache for this long (0: off); see core/cache.py.
PUBLIC_API_CACHE_SECONDS = env.int("NIKYOTEN_PUBLIC_API_CACHE_SECONDS", default=60)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Japanese is the source language of the UI; English is the translation.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Leaflet comes from the django-leaflet package (PyPI); only its static files are used, not the app, whose
# admin module needs GDAL.
_leaflet_spec = importlib.util.find_spec("leaflet")
if _leaflet_spec is None or _leaflet_spec.origin is None:
    raise ImproperlyConfigured("django-leaflet is not installed: run `make install`.")
STATICFILES_DIRS = [("leaflet", Path(_leaflet_spec.origin).parent / "static" / "leaflet")]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("NIKYOTEN_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Email to the console by default (development); e.g. smtp+tls://user:password@smtp.example.jp:587 in production.
vars().update(env.email("DJANGO_EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="nikyoten <noreply@nikyoten.example>")

# Rate limits ("count/period"), applied with django-ratelimit on the named views.
RATELIMIT_LOGIN = env.str("NIKYOTEN_RATELIMIT_LOGIN", default="10/m")
RATELIMIT_SIGNUP = env.str("NIKYOTEN_RATELIMIT_SIGNUP", default="5/m")
RATELIMIT_PASSWORD_RESET = env.str("NIKYOTEN_RATELIMIT_PASSWORD_RESET", default="5/m")
RATELIMIT_INQUIRY = env.str("NIKYOTEN_RATELIMIT_INQUIRY", default="10/h")
RATELIMIT_BOOKING = env.str("NIKYOTEN_RATELIMIT_BOOKING", default="10/h")  # trial-stay requests, per user
RATELIMIT_VIEW = "nikyoten.core.views.rate_limited"  # django-ratelimit's middleware answers with this (429)
# Demo content for `manage.py seed_demo`, in order: each is `seed(*, password) -> list[str]` (lines to print).
NIKYOTEN_DEMO_SEEDERS = [
    "nikyoten.accounts.demo.seed",
    "nikyoten.support.demo.seed",
    "nikyoten.housing.demo.listings.seed",
    "nikyoten.housing.demo.search.seed",
    "nikyoten.housing.demo.bookings.seed",
    "nikyoten.housing.demo.akiya.seed",
    "nikyoten.matching.demo.seed",
]
INVITATION_VALID_DAYS = env.int("NIKYOTEN_INVITATION_VALID_DAYS", default=7)
# A listing not confirmed by its organization for this many days is shown as 情報が古い可能性.
HOUSING_STALE_AFTER_DAYS = env.int("NIKYOTEN_HOUSING_STALE_AFTER_DAYS", default=90)
# 不動産情報ライブラリ API key of the operator, for `manage.py import_reinfolib` (empty: that command refuses).
REINFOLIB_API_KEY = env.str("REINFOLIB_API_KEY", default="")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "nikyoten.accounts.api.authentication.OrganizationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "nikyoten.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "nikyoten.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "nikyoten API",
    "DESCRIPTION": "移住・二地域居住プラットフォーム nikyoten の公開 API (v1)。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "MunicipalityKindEnum": "nikyoten.regions.choices.MunicipalityKind",
        "MunicipalityAliasKindEnum": "nikyoten.regions.choices.MunicipalityAliasKind",
        "RegionBlockEnum": "nikyoten.regions.choices.RegionBlock",
        "OrganizationKindEnum": "nikyoten.accounts.choices.OrganizationKind",
        "MembershipRoleEnum": "nikyoten.accounts.choices.MembershipRole",
        "PrincipalKindEnum": "nikyoten.accounts.choices.PrincipalKind",
        "ProgramLevelEnum": "nikyoten.support.choices.ProgramLevel",
        "ProgramCategoryEnum": "nikyoten.support.choices.ProgramCategory",
        "BudgetStatusEnum": "nikyoten.support.choices.BudgetStatus",
        "TravelModeEnum": "nikyoten.support.travel_model.Mode",
        "ListingKindEnum": "nikyoten.housing.choices.ListingKind",
        "ListingStatusEnum": "nikyoten.housing.choices.ListingStatus",
        "ListingPublicStatusEnum": "nikyoten.housing.choices.PUBLIC_STATUS_CHOICES",
        "EligibilityVerdictEnum": "nikyoten.support.eligibility.Verdict",
        "ReasonStatusEnum": "nikyoten.support.eligibility.Status",
        "InquiryStatusEnum": "nikyoten.housing.choices.InquiryStatus",
        "WindowStatusEnum": "nikyoten.support.eligibility.WindowStatus",
        "QuestionKindEnum": "nikyoten.support.facts.QUESTION_KINDS",
        "AkiyaStageEnum": "nikyoten.housing.choices.AkiyaStage",
        "AkiyaSourceEnum": "nikyoten.housing.choices.AkiyaSource",
        "CampaignResponseEnum": "nikyoten.housing.choices.CampaignResponse",
        "OwnerKindEnum": "nikyoten.housing.choices.OwnerKind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}
