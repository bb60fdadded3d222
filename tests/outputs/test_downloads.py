"""The attachment header: the real name per RFC 5987, and a plain ASCII name for old clients."""

import pytest

from outputs.downloads import ascii_filename, content_disposition


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("tasks-20261129.xlsx", "tasks-20261129.xlsx"),
        ("任务清单-20261129.xlsx", "20261129.xlsx"),
        ("考核结果.csv", "download.csv"),
        ('a "quoted"\\name.csv', "a-quoted-name.csv"),
        ("报告", "download"),
    ],
)
def test_the_ascii_name_keeps_only_plain_characters(filename, expected):
    assert ascii_filename(filename) == expected


def test_the_header_carries_both_names():
    assert content_disposition("任务 清单.xlsx", fallback="tasks.xlsx") == (
        "attachment; filename=\"tasks.xlsx\"; filename*=UTF-8''%E4%BB%BB%E5%8A%A1%20%E6%B8%85%E5%8D%95.xlsx"
    )
    assert content_disposition("任务.xlsx", fallback='bad"name\r\n.xlsx').startswith(
        'attachment; filename="bad-name.xlsx"'
    )
