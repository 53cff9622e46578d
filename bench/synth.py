"""Synthetic catalogue documents made of real sentences, deterministic for a seed.

Bodies are random sentences of the Government Work Reports (1954-2025), so term frequencies,
bigram vocabulary and phrase co-occurrence are those of real government text; titles, document
numbers, agencies, subjects, genres, dates and validity are drawn from the catalogue's lists.
"""

import json
import lzma
import random
import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

from gongkai.core.checksums import org_code_check_char

SHARED_SOURCE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "gov_work_reports.jsonl"
# The same corpus, compressed, as the project keeps it for its import tests.
PROJECT_SOURCE = (
    Path(__file__).resolve().parents[1] / "gongkai/catalogue/tests/data/gov_work_reports.jsonl.xz"
)
# A sample of the same corpus (every 20th sentence): small, for the harness test.
SAMPLE_SOURCE = Path(__file__).with_name("sentences.txt")
GENERATOR_VERSION = "1"
CHUNK = 1000  # documents per random stream, so any chunk can be generated on its own

# catalogue.md, "Subject taxonomy" (top level) and "Genres".
SUBJECTS = (
    "国务院组织机构",
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "其他",
)
# Genre and the word a title of that genre ends with.
GENRES = (
    ("决议", "决议"),
    ("决定", "决定"),
    ("命令(令)", "命令"),
    ("公报", "公报"),
    ("公告", "公告"),
    ("通告", "通告"),
    ("意见", "意见"),
    ("通知", "通知"),
    ("通报", "通报"),
    ("报告", "报告"),
    ("请示", "请示"),
    ("批复", "批复"),
    ("议案", "议案"),
    ("函", "函"),
    ("纪要", "纪要"),
    ("规章", "办法"),
    ("规范性文件", "管理办法"),
    ("规划", "规划"),
    ("计划总结", "工作总结"),
    ("统计信息", "统计公报"),
    ("工作动态", "工作动态"),
    ("应急预案", "应急预案"),
    ("其他", "公告"),
)
VALIDITY = (("in_force", 70), ("expired", 15), ("repealed", 10), ("amended", 5))
CITIES = ("江北", "临川", "青州", "南岭", "云台", "安平", "长宁", "西河", "东阳", "平江")
# Department name and the issuer abbreviation of its document numbers.
DEPARTMENTS = (
    ("人民政府", "府发"),
    ("人民政府办公室", "府办发"),
    ("发展和改革委员会", "发改"),
    ("教育局", "教"),
    ("财政局", "财"),
)
_SENTENCE_RE = re.compile(r"(?<=[。！？；])|\n+")
_CLAUSE_RE = re.compile(r"[，、：；。！？“”（）\s]+")


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    abbr: str


@dataclass
class SynthDocument:
    id: int
    title: str
    doc_no: str
    body: str
    agency: str  # agency code
    subject: str
    genre: str
    validity: str
    written_on: str  # ISO date
    published_on: str  # ISO date


def agencies() -> list[Agency]:
    """Fifty agencies: ten cities times five departments, with valid organisation codes."""
    out = []
    for i, city in enumerate(CITIES):
        for j, (dept, abbr) in enumerate(DEPARTMENTS):
            body = f"8{i * len(DEPARTMENTS) + j + 1:07d}"
            out.append(Agency(body + org_code_check_char(body), f"{city}市{dept}", city[0] + abbr))
    return out


def default_source() -> Path:
    """The shared corpus, else the project's copy of it, else the bundled sample."""
    return next(p for p in (SHARED_SOURCE, PROJECT_SOURCE, SAMPLE_SOURCE) if p.exists())


def load_sentences(source: Path) -> list[str]:
    """Sentences of the source: the corpus as JSON lines (``content`` of each record, ``.jsonl``
    or ``.jsonl.xz``) or a text file of one sentence a line."""
    if source.name.endswith((".jsonl", ".jsonl.xz")):
        opener = lzma.open if source.suffix == ".xz" else open
        with opener(source, "rt", encoding="utf-8") as f:
            text = "\n".join(json.loads(line)["content"] for line in f if line.strip())
    else:
        text = source.read_text(encoding="utf-8")
    sentences = (s.strip() for s in _SENTENCE_RE.split(text))
    return [s for s in sentences if 6 <= len(s) <= 300]


def title_clauses(sentences: list[str]) -> list[str]:
    """Clauses of four to sixteen characters without digits: the "关于…的通知" part of titles."""
    seen, out = set(), []
    for s in sentences:
        for c in _CLAUSE_RE.split(s):
            if 4 <= len(c) <= 16 and not any(ch.isdigit() for ch in c) and c not in seen:
                seen.add(c)
                out.append(c)
    return out


class Generator:
    """Documents 1..n for a seed; document ``i`` depends only on the seed, ``i`` and the source."""

    def __init__(self, sentences: list[str], *, seed: int, body_bytes: int = 2048):
        if not sentences:
            raise ValueError("no sentences in the source text")
        self.sentences = sentences
        self.sentence_bytes = [len(s.encode("utf-8")) for s in sentences]
        self.clauses = title_clauses(sentences) or sentences
        self.agencies = agencies()
        self.seed = seed
        self.body_bytes = body_bytes
        self._validity = [v for v, _ in VALIDITY]
        self._validity_weights = [w for _, w in VALIDITY]

    def chunk(self, number: int, n_docs: int) -> list[SynthDocument]:
        """Documents ``number * CHUNK + 1`` .. up to ``n_docs`` from the chunk's own stream."""
        rng = random.Random(f"{self.seed}:{number}")
        first = number * CHUNK + 1
        return [self._document(rng, i) for i in range(first, min(first + CHUNK, n_docs + 1))]

    def _document(self, rng: random.Random, doc_id: int) -> SynthDocument:
        agency = rng.choice(self.agencies)
        genre, title_word = rng.choice(GENRES)
        year = rng.randint(2000, 2025)
        written = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        published = written + timedelta(days=rng.randrange(31))
        return SynthDocument(
            id=doc_id,
            title=f"{agency.name}关于{rng.choice(self.clauses)}的{title_word}",
            doc_no=f"{agency.abbr}〔{year}〕{rng.randint(1, 300)}号",
            body=self._body(rng),
            agency=agency.code,
            subject=rng.choice(SUBJECTS),
            genre=genre,
            validity=rng.choices(self._validity, self._validity_weights)[0],
            written_on=written.isoformat(),
            published_on=published.isoformat(),
        )

    def _body(self, rng: random.Random) -> str:
        parts, size, in_paragraph = [], 0, 0
        n = len(self.sentences)
        while size < self.body_bytes:
            k = rng.randrange(n)
            if in_paragraph >= 4:
                parts.append("\n")
                in_paragraph = 0
            parts.append(self.sentences[k])
            size += self.sentence_bytes[k]
            in_paragraph += 1
        return "".join(parts)


def write_corpus(gen: Generator, n_docs: int, path: Path) -> None:
    """Write documents 1..n_docs as JSON lines (atomically: a partial file never stays)."""
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for number in range(-(-n_docs // CHUNK)):
            f.writelines(json.dumps(asdict(d), ensure_ascii=False) + "\n" for d in gen.chunk(number, n_docs))
    tmp.replace(path)


def read_corpus(path: Path):
    """The documents of a corpus file, one at a time."""
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield SynthDocument(**json.loads(line))
