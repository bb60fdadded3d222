from departments.imports import import_units
from departments.imports.command import ImportCommand


class Command(ImportCommand):
    help = "从 .csv 或 .xlsx 文件导入乡镇、街道和学校（列：名称、简称、类型、所属乡镇（街道）、所属集合）。"
    importer = staticmethod(import_units)
