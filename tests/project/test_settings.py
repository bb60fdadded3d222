"""Production mode: refuses to start without a real secret key; passes `check --deploy` behind HTTPS."""

import os
import subprocess
import sys

from django.conf import settings

STRONG_KEY = "k" * 20 + "-production-only-" + "z" * 30


def run_manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG", "SITE_URL"}}
    environment.update({"DJANGO_SETTINGS_MODULE": "taskboard.settings", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_checking_migrations_needs_no_secret_key():
    # makemigrations reads code and migration files only; serving, checking and migrating still need the key.
    result = run_manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    assert "SECRET_KEY is not set" in run_manage("migrate", "--check").stderr


def test_production_refuses_a_weak_secret_key():
    result = run_manage("check", DEBUG="false", SECRET_KEY="django-insecure-abc")
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_production_refuses_to_start_without_the_sites_address():
    result = run_manage("check", DEBUG="false", SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "SITE_URL is not set" in result.stderr
    result = run_manage("check", DEBUG="false", SECRET_KEY=STRONG_KEY, SITE_URL="taskboard.example.gov.cn")
    assert "SITE_URL is not set" in result.stderr  # an address without its scheme makes no link


def test_deploy_check_is_clean_with_the_documented_https_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="taskboard.example.gov.cn",
        CSRF_TRUSTED_ORIGINS="https://taskboard.example.gov.cn",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
        SITE_URL="https://taskboard.example.gov.cn",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_chinese_and_shanghai_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ


def test_the_quick_starts_broker_keeps_everything_under_var(tmp_path):
    """kombu's filesystem transport writes its exchange tables to ./control unless told where: under var/ here."""
    environment = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "CELERY_BROKER_URL"}}
    environment.update(
        {"DEBUG": "true", "TASKBOARD_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "taskboard.settings"}
    )
    code = "from django.conf import settings; print(settings.CELERY_BROKER_TRANSPORT_OPTIONS['control_folder'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "celery" / "control")
