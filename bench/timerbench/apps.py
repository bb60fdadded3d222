from django.apps import AppConfig


class TimerBenchConfig(AppConfig):
    name = "timerbench"
    label = "timerbench"
    verbose_name = "viewflow timer benchmark (bench/ only)"
