from departments.imports import import_people
from departments.imports.command import ImportCommand


class Command(ImportCommand):
    help = "从 .csv 或 .xlsx 文件导入人员及其在单位中的角色（列：用户名、姓名、单位、角色、手机、邮箱、初始密码）。"
    importer = staticmethod(import_people)
