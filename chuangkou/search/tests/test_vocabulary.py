"""The index vocabulary: document frequencies of title terms, pinyin and initials look-ups,
prefix completion, homophones, and readers that keep working while a writer commits."""

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from chuangkou.search.vocabulary import Vocabulary, is_suggestible

TITLES = [
    "社保卡申领流程",
    "社保卡挂失",
    "社保缴费证明打印",
    "城乡居民养老保险参保登记",
    "养老保险待遇领取",
    "养老金调整通知",
    "养老服务补贴",
    "医疗保险报销",
    "住房公积金提取",
    "营业执照办理",
    "迁入户口",
    "设备采购公告",
]


@pytest.fixture
def vocabulary(tmp_path):
    with Vocabulary(tmp_path / "vocabulary.sqlite3") as vocabulary:
        vocabulary.add_texts(TITLES)
        vocabulary.commit()
        yield vocabulary


def test_a_term_counts_once_per_document(tmp_path):
    with Vocabulary(tmp_path / "v.sqlite3") as vocabulary:
        vocabulary.add_texts(["社保卡 社保卡 社保卡", "社保卡申领"])
        vocabulary.commit()
        assert vocabulary.frequency("社保卡") == 2


def test_counts_are_invisible_until_commit_and_add_up_across_commits(tmp_path):
    with Vocabulary(tmp_path / "v.sqlite3") as vocabulary:
        vocabulary.add_texts(["养老保险"])
        assert vocabulary.frequency("养老保险") == 0
        vocabulary.commit()
        vocabulary.add_texts(["养老保险待遇"])
        vocabulary.commit()
        assert vocabulary.frequency("养老保险") == 2


def test_search_mode_parts_of_a_title_are_counted(vocabulary):
    assert vocabulary.frequency("养老") == 4  # 养老保险 ×2, 养老金, 养老服务 (search mode)
    assert vocabulary.frequency("保险") == 3
    assert vocabulary.frequency("养老保险") == 2


def test_single_characters_numbers_and_punctuation_are_not_kept():
    assert not is_suggestible("社")
    assert not is_suggestible("2017")
    assert not is_suggestible("2024-00012")
    assert not is_suggestible("c++")
    assert is_suggestible("社保")
    assert is_suggestible("12345热线")
    assert is_suggestible("covid")
    assert not is_suggestible("x")


def test_ascii_words_of_titles_are_kept(tmp_path):
    with Vocabulary(tmp_path / "v.sqlite3") as vocabulary:
        vocabulary.add_texts(["COVID 疫苗接种 2021年"])
        vocabulary.commit()
        assert vocabulary.frequency("covid") == 1
        assert vocabulary.frequency("2021") == 0


def test_dictionary_terms_are_present_before_any_document_holds_them(tmp_path):
    with Vocabulary(tmp_path / "v.sqlite3") as vocabulary:
        vocabulary.add_terms(["醫保", "x"])
        vocabulary.commit()
        assert "医保" in vocabulary
        assert vocabulary.frequency("医保") == 0
        assert vocabulary.by_pinyin("yibao") == ["医保"]
        assert "x" not in vocabulary


def test_adding_a_dictionary_term_keeps_the_frequency_it_has(vocabulary):
    before = vocabulary.frequency("社保卡")
    vocabulary.add_terms(["社保卡"])
    vocabulary.commit()
    assert vocabulary.frequency("社保卡") == before


def test_removed_titles_lower_the_counts_but_never_below_zero(vocabulary):
    vocabulary.remove_texts(["社保卡挂失", "社保卡挂失", "社保卡挂失"])
    vocabulary.commit()
    assert vocabulary.frequency("社保卡") == 0
    assert vocabulary.frequency("挂失") == 0
    assert "社保卡" in vocabulary  # still found by pinyin


def test_document_terms_may_be_given_already_segmented(tmp_path):
    with Vocabulary(tmp_path / "v.sqlite3") as vocabulary:
        vocabulary.add_document_terms(["养老", "保险", "养老保险", "养老保险", "，"])
        vocabulary.commit()
        assert vocabulary.frequency("养老保险") == 1
        assert len(vocabulary) == 3


def test_whole_pinyin_finds_the_term(vocabulary):
    assert vocabulary.by_pinyin("shebao")[0] == "社保"
    assert vocabulary.by_pinyin("shebaoka") == ["社保卡"]


def test_initials_find_the_term(vocabulary):
    assert vocabulary.by_pinyin("sb") == ["社保", "设备"]
    assert vocabulary.by_pinyin("ylbx") == ["养老保险", "医疗保险"]


def test_pinyin_look_up_ignores_case_spaces_and_apostrophes(vocabulary):
    assert vocabulary.by_pinyin("She Bao")[0] == "社保"
    assert vocabulary.by_pinyin("SHE'BAO")[0] == "社保"


def test_pinyin_matches_come_most_frequent_first(tmp_path):
    with Vocabulary(tmp_path / "v.sqlite3") as vocabulary:
        vocabulary.add_texts(["社保", "社保", "社保", "设备"])
        vocabulary.commit()
        assert vocabulary.by_pinyin("sb") == ["社保", "设备"]


def test_whole_pinyin_matches_come_before_initials_matches(tmp_path):
    with Vocabulary(tmp_path / "v.sqlite3") as vocabulary:
        # "ewa" is the whole pinyin of 额娃 and the initials of 二王安 (e-w-a).
        vocabulary.add_texts(["额娃", "二王安", "二王安", "二王安"])
        vocabulary.commit()
        assert vocabulary.by_pinyin("ewa") == ["额娃", "二王安"]


def test_unknown_or_too_short_pinyin_finds_nothing(vocabulary):
    assert vocabulary.by_pinyin("zzzz") == []
    assert vocabulary.by_pinyin("s") == []
    assert vocabulary.by_pinyin("") == []
    assert vocabulary.by_pinyin("社保") == []


def test_chinese_prefix_completes_to_longer_terms_most_frequent_first(vocabulary):
    completions = vocabulary.complete("养老")
    assert completions[0] == "养老保险"
    assert set(completions) == {"养老保险", "养老金"}
    assert "养老" not in completions


def test_traditional_and_full_width_prefixes_complete_alike(vocabulary):
    assert vocabulary.complete("養老") == vocabulary.complete("养老")
    assert vocabulary.complete("ｓｈｅｂ") == vocabulary.complete("sheb")


def test_pinyin_prefix_completes(vocabulary):
    assert vocabulary.complete("yangl")[:2] == ["养老", "养老保险"]
    assert "社保卡" in vocabulary.complete("sheb")


def test_initials_prefix_completes(vocabulary):
    assert vocabulary.complete("ylb") == ["养老保险", "医疗保险"]


def test_chinese_with_a_pinyin_tail_completes_like_an_input_method(vocabulary):
    assert vocabulary.complete("社保k") == ["社保卡"]
    assert vocabulary.complete("养老j") == ["养老金"]


def test_completion_respects_the_limit(vocabulary):
    assert len(vocabulary.complete("s", limit=2)) == 2
    assert vocabulary.complete("养老", limit=0) == []


def test_completion_of_nothing_or_of_symbols_is_empty(vocabulary):
    assert vocabulary.complete("") == []
    assert vocabulary.complete("，。") == []
    assert vocabulary.complete("%") == []


def test_short_prefixes_find_rare_terms_beyond_the_most_frequent(tmp_path):
    with Vocabulary(tmp_path / "v.sqlite3") as vocabulary:
        # More frequent terms than the 4,000 a short prefix is first looked for in.
        frequent = [f"频繁词{number:05d}" for number in range(5_000)]
        vocabulary.add_document_terms(frequent)
        vocabulary.add_document_terms(frequent)
        vocabulary.add_texts(["罕见"])
        vocabulary.commit()
        assert vocabulary.complete("罕") == ["罕见"]
        assert vocabulary.complete("h") == ["罕见"]


def test_homophones_are_other_terms_of_the_same_pinyin(vocabulary):
    assert vocabulary.homophones("社宝") == ["社保"]
    assert "社保" not in vocabulary.homophones("社保")
    assert vocabulary.homophones("abc") == []


def test_same_sound_characters_put_usual_readings_first(tmp_path):
    with Vocabulary(tmp_path / "v.sqlite3") as vocabulary:
        # 见 may be read xian (a rare reading); 险 always is.
        vocabulary.add_texts(["意见", "意见", "意见", "风险"])
        vocabulary.commit()
        assert vocabulary.same_sound_characters("线")[0] == "险"
        assert "线" not in vocabulary.same_sound_characters("线")
        assert vocabulary.same_sound_characters("x") == []


def test_a_large_first_commit_builds_the_indexes_after_the_rows(tmp_path):
    path = tmp_path / "v.sqlite3"
    with Vocabulary(path) as vocabulary:
        vocabulary.add_document_terms(f"术语{number:05d}" for number in range(12_000))
        vocabulary.add_texts(["社保卡"])
        vocabulary.commit()
        assert len(vocabulary) == 12_002
        assert vocabulary.by_pinyin("shebaoka") == ["社保卡"]
    indexes = {row[0] for row in sqlite3.connect(path).execute(
        "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"terms_pinyin", "terms_initials", "terms_frequency"} <= indexes


def test_reopening_keeps_the_terms(tmp_path):
    path = tmp_path / "v.sqlite3"
    with Vocabulary(path) as vocabulary:
        vocabulary.add_texts(["社保卡"])
        vocabulary.commit()
    with Vocabulary(path) as reopened:
        assert reopened.frequency("社保卡") == 1


def test_closing_drops_uncommitted_counts_and_refuses_further_use(tmp_path):
    path = tmp_path / "v.sqlite3"
    vocabulary = Vocabulary(path)
    vocabulary.add_texts(["社保卡"])
    vocabulary.close()
    with pytest.raises(sqlite3.ProgrammingError):
        vocabulary.frequency("社保卡")
    with Vocabulary(path) as reopened:
        assert reopened.frequency("社保卡") == 0


def test_other_threads_read_with_their_own_connections(vocabulary):
    found = []

    def read():
        found.append(vocabulary.by_pinyin("shebao"))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [["社保"]] * 4


def test_readers_keep_reading_while_a_writer_holds_the_write_lock(vocabulary, tmp_path):
    writer = sqlite3.connect(vocabulary.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE terms SET frequency = 999 WHERE term = '社保'")
    try:
        with Vocabulary(vocabulary.path) as reader:  # opening does not wait for the writer
            reader._connection().execute("PRAGMA busy_timeout = 100")
            assert reader.by_pinyin("shebao") == ["社保"]
            assert reader.frequency("社保") < 999  # the uncommitted change is not seen
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_another_process_sees_what_was_committed(vocabulary):
    program = ("import sys; from pathlib import Path;"
               "from chuangkou.search.vocabulary import Vocabulary;"
               "print(Vocabulary(Path(sys.argv[1])).by_pinyin('ylbx')[0])")
    result = subprocess.run([sys.executable, "-c", program, str(vocabulary.path)],
                            capture_output=True, text=True, timeout=60,
                            cwd=Path(__file__).resolve().parents[3], check=True)
    assert result.stdout.strip() == "养老保险"
