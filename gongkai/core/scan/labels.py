"""The Chinese names of the kinds of finding (gongkai.core.scan.Kind), as reviewers, letters and
the redaction log show them. A Kind is a StrEnum, so the stored kind strings look them up too."""

from django.utils.translation import gettext_lazy

from .findings import Kind

KIND_LABELS = {
    Kind.ID_NUMBER: gettext_lazy("居民身份证号码"),
    Kind.USCC: gettext_lazy("统一社会信用代码"),
    Kind.BANK_CARD: gettext_lazy("银行卡号"),
    Kind.MOBILE: gettext_lazy("手机号码"),
    Kind.LANDLINE: gettext_lazy("固定电话"),
    Kind.PASSPORT: gettext_lazy("护照号码"),
    Kind.EMAIL: gettext_lazy("电子邮箱"),
    Kind.SECRECY_MARK: gettext_lazy("密级标志或内部标注"),
    Kind.ADDRESS: gettext_lazy("住址"),
    Kind.PERSON_NAME: gettext_lazy("姓名"),
}
