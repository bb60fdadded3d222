"""Password rules for people's own passwords (settings.AUTH_PASSWORD_VALIDATORS).

Django 5.2's minimum-length message changed its wording, and the zh_Hans catalogue Django ships has not caught
up: the rule is the same, the message is said here in Chinese.
"""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码太短：至少需要 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"
