"""Real queries a resident or a civil-affairs worker types, with the page that should come
first (its address under the site). Run in Chromium by test_site_browser.py."""

from __future__ import annotations

QUERIES: list[tuple[str, str]] = [
    ("低保", "standards/HNMZ-T-0031-2024/"),
    ("最低生活保障", "standards/HNMZ-T-0031-2024/"),
    ("婚姻登记", "standards/HNMZ-T-0008-2025/"),
    ("结婚登记", "standards/HNMZ-T-0034-2025/"),
    ("离婚登记", "standards/HNMZ-T-0035-2025/"),
    ("社会组织", "standards/HNMZ-T-0104-2025/"),
    ("社会团体成立登记", "standards/HNMZ-T-0036-2022/"),
    ("慈善组织认定", "standards/HNMZ-T-0037-2023/"),
    # both name it: the department's open-data elements come before the national codes
    ("行政区划", "standards/HNMZ-T-0101-2026/"),  # the current version (2025 is superseded)
    ("行政区划代码", "standards/GB-T-2260-2007/"),
    ("敬老院", "standards/HNMZ-T-0032-2024/"),  # the one that mentions it is withdrawn
    ("养老机构服务质量", "standards/HNMZ-T-0003-2024/"),
    ("养老机构备案", "standards/HNMZ-T-0038-2021/"),
    ("特困人员", "standards/HNMZ-T-0032-2024/"),
    ("临时救助", "standards/HNMZ-T-0033-2023/"),
    ("残疾人护理补贴", "standards/HNMZ-T-0039-2022/"),
    ("地名命名", "standards/HNMZ-T-0040-2023/"),
    ("殡葬费用减免", "standards/HNMZ-T-0043-2023/"),
    ("殡仪服务", "standards/HNMZ-T-0005-2021/"),
    ("孤儿", "standards/HNMZ-T-0044-2024/"),
    ("儿童福利机构", "standards/HNMZ-T-0012-2026/"),
    ("社会工作站", "standards/HNMZ-T-0014-2026/"),
    ("个人信息保护", "standards/HNMZ-T-0206-2026/"),
    ("数据共享交换", "standards/HNMZ-T-0205-2022/"),
    ("公民身份号码", "standards/GB-11643-1999/"),
    ("统一社会信用代码", "standards/GB-32100-2015/"),
    ("性别代码", "standards/GB-T-2261.1-2003/"),
    ("婚姻状况代码", "standards/GB-T-2261.2-2003/"),
    ("家庭关系代码", "standards/GB-T-4761-2008/"),
    ("民族", "standards/GB-T-3304-1991/"),
    ("2261.1", "standards/GB-T-2261.1-2003/"),
    ("HNMZ/T 0031", "standards/HNMZ-T-0031-2024/"),
    ("GB/T 2260", "standards/GB-T-2260-2007/"),  # the current version before 2002's
    # 现行 before 被代替, even when the old number is typed (the old page links its successor)
    ("GB/T 2260-2002", "standards/GB-T-2260-2007/"),
    ("婚姻状况", "standards/GB-T-2261.2-2003/"),
    ("CL-GB-T-2261.1", "codelists/CL-GB-T-2261.1/"),  # a code list's number
    ("标准制定修订", "standards/HNMZ-T-0001-2022/"),
]
