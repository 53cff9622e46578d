from datetime import date
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import Count

from gongkai.catalogue.models import Genre, Subject
from gongkai.catalogue.seeds import GENRES, SUBJECTS, seed_taxonomies, unseed_taxonomies
from gongkai.catalogue.services import DocumentFields, document_create
from gongkai.catalogue.tests.factories import make_agency

# The spec's list (catalogue.md, "Subject taxonomy"), in its order.
SPEC_TOP_LEVEL = (
    "国务院组织机构 综合政务 国民经济管理、国有资产监管 财政、金融、审计 国土资源、能源 农业、林业、水利 "
    "工业、交通 商贸、海关、旅游 市场监管、安全生产监管 城乡建设、环境保护 科技、教育 文化、广电、新闻出版 "
    "卫生、体育 人口与计划生育、妇女儿童工作 劳动、人事、监察 公安、安全、司法 民政、扶贫、救灾 民族、宗教 "
    "对外事务 港澳台侨工作 国防 其他"
).split()
SPEC_GENRES = (
    "决议 决定 命令(令) 公报 公告 通告 意见 通知 通报 报告 请示 批复 议案 函 纪要 "
    "规章 规范性文件 规划 计划总结 统计信息 工作动态 应急预案 政策解读 其他"
).split()


# Genres other apps' migrations add for their own documents (the consultations' draft and
# adoption report); the catalogue's seeding neither creates nor removes them.
OTHER_APPS_GENRES = tuple(import_module("gongkai.consultations.migrations.0002_genres").GENRES)


def catalogue_genres():
    return Genre.objects.exclude(name__in=OTHER_APPS_GENRES)


def counts() -> tuple[int, int]:
    return Subject.objects.count(), catalogue_genres().count()


def run_seed_migration() -> None:
    """Run the seed migration's forward function on its historical models. The test database
    was migrated, but transactional tests elsewhere flush its rows; seeding is idempotent."""
    migration = import_module("gongkai.catalogue.migrations.0002_seed_taxonomies")
    migration.forwards(historical_apps(), None)


def historical_apps():
    return MigrationLoader(connection).project_state(("catalogue", "0002_seed_taxonomies")).apps


@pytest.mark.django_db
def test_migration_seeds_the_22_top_level_subjects_in_order_each_with_second_levels():
    run_seed_migration()
    tops = Subject.objects.filter(parent__isnull=True).annotate(n=Count("children")).order_by("sort_order")
    assert [s.name for s in tops] == SPEC_TOP_LEVEL
    assert all(s.n >= 1 for s in tops)
    assert sum(1 for s in tops if s.n >= 3) == 21  # all but 其他
    finance = Subject.objects.get(name="财政、金融、审计", parent__isnull=True)
    assert {"财政", "金融", "审计"} <= set(finance.children.values_list("name", flat=True))
    general = Subject.objects.get(name="综合政务", parent__isnull=True)
    assert {"政务公开", "政务督查", "应急管理", "电子政务", "信访", "其他"} <= set(
        general.children.values_list("name", flat=True)
    )


@pytest.mark.django_db
def test_migration_seeds_the_complete_genre_list_in_order():
    run_seed_migration()
    assert list(catalogue_genres().order_by("sort_order").values_list("name", flat=True)) == SPEC_GENRES
    assert list(GENRES) == SPEC_GENRES


@pytest.mark.django_db
def test_seeding_again_creates_nothing_and_keeps_edits():
    seed_taxonomies(Subject, Genre)
    before = counts()
    renamed = Subject.objects.get(name="信访", parent__name="综合政务")
    renamed.sort_order = 1
    renamed.save()
    local = Subject.objects.create(name="本市营商环境", parent=renamed.parent, agency=make_agency())
    seed_taxonomies(Subject, Genre)
    assert counts() == (before[0] + 1, before[1])
    renamed.refresh_from_db()
    assert renamed.sort_order == 1
    assert Subject.objects.filter(pk=local.pk).exists()


@pytest.mark.django_db
def test_unseeding_removes_unused_seed_rows_and_keeps_used_ones():
    seed_taxonomies(Subject, Genre)
    used_subject = Subject.objects.get(name="审计", parent__name="财政、金融、审计")
    used_genre = Genre.objects.get(name="通知")
    document_create(
        agency=make_agency(),
        fields=DocumentFields(
            title="关于审计的通知",
            written_on=date(2024, 1, 2),
            subject_id=used_subject.pk,
            genre_id=used_genre.pk,
        ),
    )
    unseed_taxonomies(Subject, Genre)
    assert set(Subject.objects.values_list("name", flat=True)) == {"财政、金融、审计", "审计"}
    assert list(catalogue_genres().values_list("name", flat=True)) == ["通知"]
    seed_taxonomies(Subject, Genre)
    assert counts() == (sum(1 + len(children) for _, children in SUBJECTS), len(GENRES))


@pytest.mark.django_db
def test_migration_is_reversible_and_idempotent_on_historical_models():
    migration = import_module("gongkai.catalogue.migrations.0002_seed_taxonomies")
    historical = historical_apps()
    migration.backwards(historical, None)
    assert counts() == (0, 0)
    migration.forwards(historical, None)
    migration.forwards(historical, None)
    assert counts() == (sum(1 + len(children) for _, children in SUBJECTS), len(GENRES))
