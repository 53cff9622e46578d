"""Word lists the pre-scan's rules read: cues before names, addresses and numbers, and the
surnames a name must start with. Data, not logic (STYLE.md, "Rules are data")."""

# Single-character surnames: the common modern ones and those of the Hundred Family Surnames,
# without those that mostly start ordinary words in official prose (于 "in", 和 "and",
# 各 "each", 该 "the said", 经, 按, 据, 应, 能, 都, 计, 利, 家 …).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫"
    "孔汤易常温康施文牛樊葛邢安齐伍乔庞颜倪柳庄聂章鲁岳翟殷詹申耿关兰焦俞左柴甘祝包宁尚符舒阮纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳欧管柯卓屈喻蒙项褚车祁臧伏水窦云奚郎昌凤花鲍费廉岑滕邬乐傅"
    "皮卞元卜平穆萧湛禹狄米贝明谈茅闵席麻强娄危刁虞支昝房裘缪解宗宣贲郁杭洪诸吉钮嵇滑荣荀羊甄封芮羿储"
    "汲邴糜松井富巫乌巴弓牧隗山宓蓬郗班仰秋仲伊宫仇栾暴钭厉戎祖景束幸司韶郜蓟薄印宿怀蒲邰鄂赖蔺屠池胥"
    "苍闻莘党贡劳逄姬扶堵宰郦雍璩桑桂濮寿扈燕冀郏浦农晏瞿阎慕连茹宦艾鱼容古戈庾暨衡弘匡寇广禄阙东殴殳"
    "沃蔚夔隆师巩厍晁勾敖融冷訾阚简饶毋沙乜鞠丰巢蒯荆红竺逯桓"
)
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 "
    "端木 独孤 南宫 西门 百里 呼延 万俟 澹台 公冶 太史 申屠 濮阳 闻人 赫连".split()
)

# Labels after which a person's name follows ("姓名：张三"). A colon is required: without one
# these words open ordinary sentences ("申请人应当……").
NAME_CUES = (
    "姓名",
    "联系人",
    "申请人",
    "被申请人",
    "当事人",
    "法定代表人",
    "负责人",
    "经营者",
    "经办人",
    "承办人",
    "委托代理人",
    "代理人",
    "被处罚人",
    "被检查人",
    "举报人",
    "投诉人",
    "信访人",
    "户主",
    "收件人",
    "监护人",
    "原告",
    "被告",
    "第三人",
    "患者",
    "值班人员",
    "值班人",
    "带班领导",
    "联络员",
    "经手人",
    "填报人",
    "审核人",
    "成员",
    "专家",
)
# Labels after which a name is believed without a colon ("负责人王强，电话…"), when the name
# fills what comes before the next punctuation or contact word.
NAME_CUES_NO_COLON = ("联系人", "负责人", "经营者", "法定代表人", "当事人")
# The labels looked for as table cells ("姓名\t张三", "住址\n…"): a subset of the name and address
# labels (the others — 原告, 成员, 专家… — head cells too rarely to pay for a pass over every
# text; they are read after a colon).
CELL_NAME_LABELS = tuple(
    cue
    for cue in NAME_CUES
    if cue
    not in (
        "第三人",
        "原告",
        "被告",
        "患者",
        "代理人",
        "委托代理人",
        "承办人",
        "值班人员",
        "值班人",
        "带班领导",
        "审核人",
        "填报人",
        "经手人",
        "成员",
        "专家",
    )
)
# Column headers of a table (text rows, cells split by tabs or runs of spaces) whose cells
# below hold a person's name.
NAME_HEADERS = (
    "姓名",
    "申请人",
    "联系人",
    "负责人",
    "经营者",
    "法定代表人",
    "当事人",
    "户主",
    "被处罚人",
    "项目负责人",
    "项目经理",
    "获奖人",
    "参保人",
    "救助对象",
    "受助人",
)
# Words that end a name written without punctuation after it ("联系人：张三电话：…").
AFTER_NAME = (
    "电话",
    "手机",
    "联系",
    "性别",
    "身份",
    "证件",
    "住址",
    "地址",
    "住所",
    "民族",
    "出生",
    "年龄",
    "职务",
    "职业",
    "单位",
    "邮箱",
    "男",
    "女",
)
# A "name" ending like this is a title or an office, not a person ("联系人：王科长").
NOT_NAME_ENDINGS = (
    "科长",
    "处长",
    "局长",
    "主任",
    "经理",
    "老师",
    "先生",
    "女士",
    "同志",
    "书记",
    "部长",
    "院长",
    "所长",
    "队长",
    "站长",
    "组长",
    "律师",
    "医生",
    "公司",
    "集团",
    "中心",
    "政府",
    "委员会",
    "办公室",
    "街道",
    "社区",
    "家属",
    "本人",
)
# Characters marking an already anonymised name ("王某某", "李×").
ANONYMISED = frozenset("某×xX*＊○〇")

# Labels after which an address follows ("住址：…").
ADDRESS_CUES = (
    "家庭住址",
    "家庭地址",
    "现住址",
    "现住所",
    "住址",
    "住所地",
    "住所",
    "通讯地址",
    "通信地址",
    "联系地址",
    "邮寄地址",
    "户籍地址",
    "户籍所在地",
    "居住地址",
    "经常居住地",
    "居住地",
    "办公地址",
    "地址",
)
# Labels of an organisation's premises: the address after one is not a person's.
ORG_ADDRESS_CUES = (
    "经营场所",
    "营业场所",
    "经营地址",
    "注册地址",
    "单位地址",
    "公司地址",
    "生产地址",
    "生产场所",
    "办公地点",
    "项目地点",
    "开标地点",
    "建设地点",
)
# On the lines before a bare "地址：", these say whose address it is: an organisation's.
ORG_BLOCK_CUES = ("统一社会信用代码", "组织机构代码", "营业执照", "单位名称", "供应商名称", "机构名称")
ORG_NAME_ENDINGS = (
    "公司",
    "厂",
    "商行",
    "中心",
    "合作社",
    "事务所",
    "研究院",
    "医院",
    "学校",
    "协会",
    "银行",
)
# Words that end an address written without punctuation after it.
AFTER_ADDRESS = ("电话", "联系", "邮编", "邮政编码", "手机", "传真", "邮箱", "电子邮", "网址", "身份", "姓名")
# An address must contain one of these to be believed.
ADDRESS_CHARS = frozenset("省市区县旗镇乡村路街道巷弄号栋幢楼室组屯寨里院")

# Words just before a number that say what it is (a window before the number is searched).
BANK_CUES = ("卡号", "账号", "帐号", "银行", "账户", "帐户", "开户", "借记卡", "信用卡", "储蓄卡", "存折")
PHONE_CUES = ("电话", "传真", "座机", "固话", "联系方式", "Tel", "TEL", "tel", "Fax", "FAX")
PASSPORT_CUES = ("护照", "護照", "Passport", "PASSPORT", "passport")
ID_CUES = ("身份证", "身份證", "公民身份号码", "证件号")
# Labels of 15-digit numbers that are not identity numbers (old business registration numbers,
# orders, serials): an unlabelled 15-digit number after one of these is what the label says.
NOT_ID15_CUES = (
    "注册号",
    "註冊號",
    "营业执照",
    "执照号",
    "编号",
    "编码",
    "订单",
    "单号",
    "流水号",
    "批号",
    "序列号",
)

# First two digits of resident ID numbers (GB/T 2260 provinces; 71 Taiwan, 81/82 Hong Kong and
# Macao residence permits, 83 Taiwan residents' permits, 91 none).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 "
    "71 81 82 83".split()
)
