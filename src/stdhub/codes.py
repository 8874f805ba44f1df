"""The catalogue of problem codes: a stable code, a severity, a title and a standing hint.

Every code is documented in `docs/reference/problem-codes.md` (generated from this
catalogue by `stdhub codes --markdown`) and has an example tree under
`tests/cases/<CODE>/` with its expected output.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    severity: str  # "error" | "warning"
    title: str
    hint: str


_ALL = [
    # F: files
    Code(
        "F001",
        "error",
        "文件不是 UTF-8 编码",
        "用 UTF-8 另存该文件，例如 `iconv -f GBK -t UTF-8 原文件 > 新文件`",
    ),
    Code("F002", "error", "文件过大", "单个 YAML 文件不超过 1 MiB；把内容拆分到多个文件"),
    Code(
        "F003",
        "error",
        "文件名与编号不一致",
        "文件名应由 id 得出：把 `/` 和空格换成 `-`，再加 `.yaml`",
    ),
    Code("F004", "error", "无法读取文件", "检查文件权限，或它是否是一个目录/链接"),
    # Y: YAML syntax and safety
    Code("Y001", "error", "YAML 语法错误", "检查该行的缩进、冒号和引号"),
    Code("Y002", "error", "文件为空", "写入内容，或删除该文件"),
    Code(
        "Y003",
        "error",
        "不允许的 YAML 标签",
        "删除 `!!python/...` 等标签；只允许普通的映射、列表、字符串、数字、日期",
    ),
    Code("Y004", "error", "别名展开过大", "不要用锚点/别名（&/*）构造大量重复内容"),
    Code("Y005", "error", "重复的键", "同一映射中每个键只能出现一次；删除或合并重复的键"),
    Code("Y006", "error", "键不是字符串", "键应是普通文本，如 `title:`"),
    Code("Y007", "error", "嵌套过深", "列表和映射的嵌套不超过 64 层；把深层结构拆平"),
    Code(
        "Y008",
        "error",
        "键后的冒号写错（全角冒号或缺空格）",
        "键后写半角冒号再加一个空格：`fees: 不收费`，不是 `fees：不收费` 或 `fees:不收费`",
    ),
    Code(
        "Y009",
        "error",
        "用了制表符 Tab 缩进",
        "YAML 只能用空格缩进：把 Tab 换成空格（编辑器可设置“按 Tab 键插入空格”）",
    ),
    Code(
        "Y010",
        "error",
        "缩进对不齐",
        "同一层的键和列表项要左对齐；每深一层多缩进两个空格",
    ),
    Code(
        "Y011",
        "error",
        "引号没有闭合",
        '文本两端用同一种英文引号 `"…"`；中文引号“”可以直接写在文本中，不能用来括住文本',
    ),
    Code(
        "Y012",
        "error",
        "值里有冒号加空格",
        '值中含 `: ` 时把整个值用英文双引号括起来，如 `office_hours: "上午: 8:30"`',
    ),
    # S: schema
    Code("S001", "error", "未知字段", "检查拼写；允许的字段见 JSON Schema"),
    Code("S002", "error", "缺少必填字段", "补上该字段"),
    Code("S003", "error", "类型错误", "按 JSON Schema 给出的类型填写"),
    Code("S004", "error", "取值不在允许范围内", "从允许的取值中选择一个"),
    Code("S005", "error", "日期无效", "日期写作 YYYY-MM-DD，且必须是日历上存在的日期"),
    Code("S006", "error", "格式不符", "按该字段规定的格式填写"),
    Code("S007", "error", "内容过少或过多", "检查列表/文本的长度要求"),
    Code(
        "S008",
        "error",
        "不符合任何一种允许的写法",
        "该字段有几种写法（如文本或含 url 的映射），按其中一种填写",
    ),
    Code("S009", "error", "顶层不是映射", "文件顶层应是 `键: 值` 形式的映射，而不是列表或单个值"),
    Code("S010", "error", "未知的文件类别 kind", "kind 取值见文档“文件类别”"),
    Code(
        "S011",
        "error",
        "相关事项不存在",
        "related 写其他清单事项的编码（如 ZC-004）；对方页面会自动显示反向链接，不必两边都写",
    ),
    Code(
        "S013",
        "error",
        "政策法规既无正文也无原文链接",
        "在 url 中写官方发布地址（https://…），或在 text 中收录正文；二者至少其一",
    ),
    Code(
        "S014",
        "error",
        "日期晚于今天",
        "answered 写已经答复的那一天（YYYY-MM-DD），答复之后再记录；不能预填将来的日期",
    ),
    Code(
        "S015",
        "error",
        "站点设置的值不对",
        "mkdocs.yml 的 extra.stdhub 中每项设置都是文本；site_url、data_url 写 http(s):// 地址，"
        "builder 写 mkdocs 或 zensical（见 stdhub.config）",
    ),
    # X: cross-checks
    Code("X001", "error", "编号重复", "每个标准、代码集、清单和清单事项的编号必须唯一"),
    Code("X002", "error", "引用的标准不存在", "检查编号拼写，或先添加被引用的标准"),
    Code(
        "X003", "error", "引用的代码集不存在", "检查代码集编号，或在 standards/codelists/ 中添加它"
    ),
    Code("X004", "error", "引用的数据元不存在", "记录结构只能引用本标准中定义的数据元"),
    Code(
        "X005",
        "error",
        "代替关系前后不一致",
        "A 的 supersedes 含 B 时，B 的 superseded_by 应为 A，反之亦然",
    ),
    Code("X006", "error", "代替关系成环", "代替关系必须从旧到新，不能回到自身"),
    Code(
        "X007",
        "error",
        "日期先后矛盾",
        "实施日期不早于发布日期，征求意见截止不早于开始，废止不早于实施",
    ),
    Code("X008", "error", "状态与日期或历史不一致", "状态、日期和历史事件要相互印证"),
    Code("X009", "error", "代码重复", "同一代码集中每个代码只能出现一次"),
    Code(
        "X010",
        "error",
        "数据元或事项编号重复",
        "同一标准中数据元/记录结构标识、同一清单中事项编码必须唯一",
    ),
    Code(
        "X015",
        "error",
        "区划变更对照与代码集不一致",
        "每个在两个版次之间消失或出现的代码都要有变更记录（草稿：stdhub divisions diff 旧版.csv 新版.csv）；"
        "改正后运行 stdhub divisions generate",
    ),
    Code(
        "X016",
        "error",
        "区划代码集未按现有版次和变更对照重新生成",
        "运行 stdhub divisions generate，再运行 stdhub validate；代码集是生成的，不要手工改",
    ),
    Code(
        "X017",
        "error",
        "区划版次的文件缺少、重复或读不出",
        "每个版次在 scripts/data/divisions-hunan/ 中有且只有一个文件名含版次 id 的 CSV，"
        "该目录中的每个 CSV 都在 editions 中有一条",
    ),
    Code(
        "X018",
        "error",
        "区划变更没有写全接替的区划",
        "合并写明并入的区划（代码不变的写原代码），拆分写出拆分后的全部区划",
    ),
    Code(
        "X019",
        "error",
        "区划代码数据元没有引用代码集",
        "在数据元下加 code_list，写它所在层级的区划代码集（县级 CL-HNMZ-0101、乡级 CL-HNMZ-0107、村级 CL-HNMZ-0108）",
    ),
    # X020–X029: feedback files (owned by stdhub.feedback.dispositions)
    Code(
        "X020",
        "error",
        "意见编号重复",
        "每条意见的 id 在 feedback/ 下只能出现一次；删除重复抄录的那一条",
    ),
    Code(
        "X021",
        "error",
        "意见针对的对象不存在",
        "about 应是现有的标准编号、数据集名称、代码集、清单或事项编号；检查拼写",
    ),
    Code(
        "X022",
        "error",
        "意见针对的条款或数据元不存在",
        "anchor 应是该标准中的条款（clause-5-4）或数据元（de-标识）；条款改号后同步改正",
    ),
    Code(
        "X023",
        "error",
        "已结束的征求意见中有意见未处理",
        "为该意见填写 disposition（采纳/部分采纳/不采纳/已答复）及 reason、change",
    ),
    Code(
        "X024",
        "error",
        "意见的处理结果不完整",
        "部分采纳、不采纳、已答复要写理由 reason；采纳、部分采纳要写修改情况 change",
    ),
    Code("X025", "error", "答复日期早于收到日期", "answered 写实际答复的日期（YYYY-MM-DD）"),
    Code(
        "X030",
        "error",
        "被代替日期与新版本实施日期不一致",
        "旧版本在新版本实施之日被代替：两个日期写成同一天",
    ),
    Code(
        "X031",
        "error",
        "被代替的日期无法确定",
        "新版本批准前旧版本保持原状态；新版本批准时写明它的实施日期",
    ),
    Code(
        "X032",
        "error",
        "既废止又被代替",
        "有新版本的写 superseded_by，没有新版本的写 dates.withdrawn，二者取一",
    ),
    Code(
        "X033",
        "error",
        "离开草案时仍有 `stdhub new` 的占位内容",
        "把括号中的提示文字和 0000-00-000 等占位值换成实际内容",
    ),
    Code(
        "X034",
        "error",
        "同一标准的两个版本同时现行",
        "用 supersedes / superseded_by 连接新旧版本，或写明旧版本的废止日期",
    ),
    # W: warnings
    Code(
        "W001",
        "warning",
        "征求意见已截止但状态未更新",
        "把状态改为已批准或草案，并在历史中记录“征求意见结束”",
    ),
    Code("W002", "warning", "历史事件未按日期排序", "按日期从早到晚排列 history"),
    Code("W003", "warning", "代码集未被任何数据元使用", "删除它，或在数据元的 code_list 中引用它"),
    Code(
        "W004",
        "warning",
        "现行标准的征求意见结果未公布",
        "在 feedback/ 的意见处理记录中填写每条意见的处理结果；或在 consultation_outcome（历史事件“征求意见结束”的 note）中写明收到和采纳意见的情况",
    ),
    Code(
        "W008",
        "warning",
        "意见久未答复",
        "填写该意见的 disposition、reason 和 change；`stdhub feedback` 列出所有待处理的意见",
    ),
    Code(
        "W015",
        "warning",
        "意见所指位置不存在",
        "意见表指向的位置在本项目中不存在（not_found），意见已按整体意见归档：按整体意见答复，"
        "或把 anchor 改为它实际所指的位置；填写 disposition 后不再提示",
    ),
    Code(
        "W016",
        "warning",
        "站点设置未知",
        "mkdocs.yml 的 extra.stdhub 中只有 feedback、feedback_service、site_url、data_url、"
        "builder 五项设置；改正拼写，或删除这一行",
    ),
    Code(
        "W005",
        "warning",
        "清单事项引用的开放数据集不存在",
        "datasets 写 datasets/ 下数据集目录的名称（如 social-organizations）；"
        "网站只链接实际发布的数据集",
    ),
    Code(
        "W010",
        "warning",
        "清单事项的依据标准已废止或被代替",
        "把 governed_by 改为代替它的现行标准；网站在清单中标注并链接新标准",
    ),
    # D: datasets (owned by stdhub.datasets)
    Code(
        "D001",
        "error",
        "数据包描述不符合 Frictionless 规范",
        "按 Data Package v1 和 Table Schema 的写法修改描述文件（frictionless-py 5 能读取）",
    ),
    Code(
        "D002",
        "error",
        "资源路径越出数据集目录",
        "path 应是数据集目录内的相对路径，如 `data/records.csv`；不能用绝对路径、`..` 或网址",
    ),
    Code(
        "D003",
        "error",
        "数据文件不存在",
        "检查 path 的拼写；生成的大文件由描述文件中 generator 指定的脚本生成",
    ),
    Code(
        "D004",
        "error",
        "数据文件编码不对",
        "用 UTF-8 另存（`iconv -f GBK -t UTF-8 原文件 > 新文件`），或在资源中声明实际编码，如 `encoding: gbk`",
    ),
    Code("D005", "error", "数据文件为空", "文件至少要有一行表头"),
    Code("D006", "error", "表头与表结构不符", "表头各列的名称和顺序应与 schema.fields 一致"),
    Code("D007", "error", "类型错误", "按字段类型填写：整数不带小数点和单位，日期写作 YYYY-MM-DD"),
    Code("D008", "error", "缺少必填值", "填写该值；必填字段不能留空"),
    Code("D009", "error", "取值不符合约束", "按字段约束（长度、格式、取值范围、枚举值）填写"),
    Code(
        "D010",
        "error",
        "主键或唯一值重复",
        "每行的主键（及标为 unique 的字段）必须互不相同；删除重复行或改正键值",
    ),
    Code("D011", "error", "外键找不到被引用的记录", "先在被引用的表中补上该记录，或改正该值"),
    Code("D012", "error", "行的列数与表头不符", "检查该行多余或缺少的逗号、未闭合的引号；删除空行"),
    Code("D013", "error", "代码不在代码集中", "只能使用数据元的 code_list 所列的代码"),
    Code(
        "D014",
        "error",
        "字段与数据标准的数据元不一致",
        "让字段的类型、长度、格式和代码集与数据元一致；表结构可由 `stdhub table-schema 标准号 记录结构` 生成",
    ),
    Code(
        "D015",
        "error",
        "所遵循的数据标准不存在",
        "检查 conforms_to 中的标准编号，或先在 standards/data/ 中添加该标准",
    ),
    Code(
        "D016",
        "error",
        "开放数据元数据取值无效",
        "按数据集元数据说明填写（如 access 只能是 无条件开放 或 有条件开放）",
    ),
    Code(
        "D017", "error", "无法读取数据文件", "检查文件格式与资源中 format、dialect 的声明是否一致"
    ),
    Code(
        "D018",
        "error",
        "数据集目录缺少描述文件",
        "每个 datasets/<名称>/ 目录放一个 datapackage.yaml（或 datapackage.json）",
    ),
    Code(
        "D019", "error", "生成数据文件失败", "单独运行描述文件中 generator 指定的脚本，查看它的报错"
    ),
    Code(
        "D025",
        "error",
        "代码在数据所属时期无效",
        "按变更对照改用接替的代码；数据所属时期早于撤销日期的，可继续用原代码",
    ),
    Code(
        "D020",
        "error",
        "CSV 文件的引号不成对",
        '含逗号、引号或换行的单元格要整体用英文双引号括起，单元格内的双引号写两遍（""）；'
        "用文本编辑器查看所指的行，补上或删去引号",
    ),
    Code(
        "D021",
        "error",
        "名称与数据库中的名称冲突",
        "字段名不能是 rowid、oid、_rowid_，也不能只有大小写不同；资源名不能与代码表、"
        "全文索引表（<资源名>_fts）或其他资源重名：在描述文件和表头中改名",
    ),
    Code(
        "D030",
        "error",
        "链接不是 http、https 或 mailto 地址",
        "许可、来源、主页等地址只能以 http://、https:// 或 mailto: 开头；改正或删除该地址",
    ),
    Code(
        "D031",
        "error",
        "描述文件引用了网络上的文件",
        "stdhub 不联网读取 schema、dialect、profile：把该文件下载到数据集目录，写相对路径，"
        "如 `schema: schema.json`",
    ),
    Code(
        "D032",
        "error",
        "数据集目录名或位置不可用",
        "目录名只用字母、数字、`-`、`_`、`.`（如 `public-bodies`），"
        "目录要真实位于 datasets/ 下，不能是指向别处的符号链接",
    ),
    Code(
        "D033",
        "error",
        "资源不是表格数据",
        "本站只发布 CSV、TSV 等表格数据；GeoJSON、PDF 等文件请从描述文件中移除，或另行发布",
    ),
    Code(
        "D034",
        "warning",
        "描述文件中有本站无法显示的取值",
        "数据照常发布，该项不在网站上显示；按提示改写后即可显示",
    ),
    Code(
        "D050",
        "warning",
        "未指定工作表，已读取第一个可见的工作表",
        "确认读取的工作表无误后，在资源中声明 `dialect: {excel: {sheet: 工作表名}}`；"
        "隐藏的工作表（如填表说明）不会被读取",
    ),
    Code(
        "D051",
        "error",
        "找不到要读取的工作表",
        "`dialect.excel.sheet` 写工作簿中实有的工作表名（或从 1 起的序号）；"
        "工作表都被隐藏时，在 Excel 中取消隐藏数据所在的工作表",
    ),
    Code(
        "D052",
        "error",
        "日期是不存在的 1900-02-29",
        "Excel 的日期序号 60 对应 1900 年 2 月 29 日，这一天并不存在：改为实际日期，或写成文本",
    ),
    Code(
        "D053",
        "error",
        "公式没有保存计算结果",
        "在 Excel 或 WPS 中打开工作簿并保存一次（会保存公式的计算结果），"
        "或复制该列后“选择性粘贴 → 数值”",
    ),
    Code(
        "D054",
        "error",
        "单元格是错误值",
        "#N/A、#DIV/0!、#REF! 等是公式出错的结果：改正公式或源数据，或清空该单元格",
    ),
    Code(
        "D060",
        "error",
        "以元为单位的金额多于两位小数",
        "元保留到分（两位小数）。四位小数多半是以万元填写的：乘以 10000 换算成元再填",
    ),
    Code(
        "D061",
        "warning",
        "金额比同组其他金额小上千倍，疑似以万元填写",
        "核对原始文件：以万元填写的，乘以 10000 换算成元；金额确实如此的，可不理会本警告",
    ),
    Code(
        "D062",
        "error",
        "合计与明细之和不符",
        "核对下达文件的总额和各县的分配金额：改正写错的金额，补上漏掉的分配行，"
        "或删去不属于该文件的行；两者都以元为单位、保留到分",
    ),
    Code(
        "D063",
        "error",
        "同一文号写了两遍（括号或空格写法不同）",
        "一个文号只对应一份文件：年份统一用六角括号“〔〕”（如 湘财社〔2025〕12号），"
        "删去重复的行，或把它的内容合并到先出现的那一行",
    ),
    Code("D099", "error", "同类问题过多，未全部列出", "先改正已列出的问题，再重新检查"),
    # Q: dataset quality (warnings: a sound package from elsewhere is still published)
    Code("Q001", "warning", "数据集元数据不完整", "补上该项可提高数据集的质量指标"),
    Code(
        "Q002",
        "warning",
        "字段未在所遵循的数据标准中定义",
        "在数据标准中补充该数据元，或从 conforms_to 中去掉该标准",
    ),
    Code("Q003", "warning", "使用了已停用的代码", "新数据改用代码集中推荐的替代代码"),
    Code("Q004", "warning", "数据文件只有表头，没有数据行", "确认是否漏导出了数据"),
    Code(
        "Q005",
        "warning",
        "数据文件尚未生成",
        "`stdhub build` 会运行 generator 指定的脚本生成它，再做检查",
    ),
    Code("Q006", "warning", "代码不在开放代码集中", "确认该代码是否应补充进代码集"),
    Code(
        "Q007",
        "warning",
        "资源没有表结构，字段类型是推断的",
        "在资源中写明 schema（字段名、类型、约束）；推断时有前导零的代码按文本保存",
    ),
    Code(
        "Q008",
        "warning",
        "单元格以 = + - @ 或制表符开头",
        "电子表格软件会把这样的单元格当作公式；确认内容无误（电子表格版下载中它们一律是文本）",
    ),
    Code(
        "Q009",
        "warning",
        "代码在数据所属时期尚未启用",
        "核对数据所属时期；启用日期以前的数据应使用变更前的代码（见区划变更对照）",
    ),
    Code(
        "Q010",
        "warning",
        "数据集描述过短或过长",
        "description 写 50 到 5000 个字：数据是什么、从哪里来、覆盖的时间和地区、怎样使用；"
        "搜索引擎的数据集收录要求描述在这个范围内",
    ),
    # P: personal data in open data (errors: they block publishing)
    Code(
        "P001",
        "error",
        "疑似公民身份号码",
        "开放数据不得含公民身份号码；删除或只保留脱敏形式（如 430***********1234）",
    ),
    Code(
        "P002",
        "error",
        "疑似手机号码",
        "开放数据不得含个人手机号码；删除或脱敏（如 138****1234）；机构对外公布的号码在描述文件 "
        "personal_data 中声明（public_contact 字段，或经审核的 allow 条目）",
    ),
    Code(
        "P003",
        "error",
        "疑似银行卡号",
        "开放数据不得含银行卡号；删除或脱敏（如 6222 **** **** 1234）",
    ),
    Code(
        "P004",
        "error",
        "字段是个人信息数据元",
        "数据标准把该数据元标为个人信息：从开放数据中删除该字段，或把数据集设为有条件开放",
    ),
    Code(
        "P005",
        "warning",
        "字段看起来是个人信息",
        "确认该字段不含个人信息；若是机构对外公布的联系方式，在描述文件 personal_data.public_contact "
        "中声明该字段并写明理由，否则删除该字段或把数据集设为有条件开放",
    ),
    Code(
        "P006",
        "error",
        "个人信息例外声明无效",
        "personal_data.public_contact 每项写 field（可加 resource）和 reason；personal_data.allow "
        "每项写 sha256、reason、reviewer、date；见 datasets/README.md",
    ),
]

CODES: dict[str, Code] = {c.code: c for c in _ALL}


def as_markdown() -> str:
    """The code catalogue as the Markdown page published in the docs."""
    lines = [
        "| 代码 | 级别 | 问题 | 如何处理 |",
        "| --- | --- | --- | --- |",
    ]
    for c in sorted(CODES.values(), key=lambda c: c.code):
        level = "错误" if c.severity == "error" else "警告"
        lines.append(f"| `{c.code}` | {level} | {c.title} | {c.hint} |")
    return "\n".join(lines) + "\n"
