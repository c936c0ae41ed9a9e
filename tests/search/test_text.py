"""Segmentation and FTS5 query building: Chinese words are tokens, user text is never FTS syntax."""

from unkg.search.text import fts_or, fts_phrases, numbers, number_agreement, parse_query, segment, tokens


def test_chinese_is_segmented_into_words():
    from unkg.search.text import subwords

    toks = tokens("土地退化零增长目标设定方案共支持了130个参与国")
    # the programme's name is in the extract vocabulary: one token, the words inside it extra tokens
    assert "土地退化零增长目标设定方案" in toks
    assert "支持" in toks and "130" in toks
    assert {"土地", "退化"} <= set(subwords("土地退化零增长目标设定方案"))
    assert tokens("防治荒漠化的努力")[:2] == ["防治", "荒漠化"]


def test_every_vocabulary_name_is_one_token_in_context():
    from unkg.search.text import user_words

    names = [w for w in user_words() if len(w) >= 4]
    assert len(names) > 50
    for name in names:
        # wherever it stands, a name of the vocabulary is cut as itself (在昌原倡议的 -> 在 / 昌原倡议 / 的)
        assert name in tokens(f"在{name}的推动下"), name


def test_quoted_chinese_phrase_is_matched_by_character_pairs():
    assert fts_phrases(parse_query('"昌原倡议"').phrases) == 'extra : "昌原 原倡 倡议"'
    assert fts_phrases([["land", "degradation", "零增长"]]) == 'body : "land degradation" AND extra : "零增 增长"'


def test_latin_words_are_folded_and_codes_kept_whole():
    toks = tokens("Décision 22/COP.15 on SDG indicator 15.3.1")
    assert toks[0] == "decision"
    assert "22/cop.15" in toks and "15.3.1" in toks


def test_quoted_phrase_and_words():
    q = parse_query('"land degradation neutrality" targets')
    assert q.phrases == [["land", "degradation", "neutrality"]]
    assert q.words == ["targets"]
    assert fts_phrases(q.phrases) == 'body : "land degradation neutrality"'


def test_every_term_is_an_fts_string_literal():
    q = parse_query('NEAR( OR ) * \'; DROP TABLE blocks; -- "unbalanced')
    expr = fts_or(q.words)
    for part in expr.split(" OR "):
        assert part.removeprefix("extra : ").startswith('"') and part.endswith('"')


def test_segment_joins_tokens_with_spaces():
    assert segment("土地退化零增长目标").split() == tokens("土地退化零增长目标")


def test_chinese_word_matches_inside_a_differently_cut_run(tmp_path):
    import sqlite3

    from unkg.search.text import subwords

    db = sqlite3.connect(tmp_path / "x.sqlite")
    db.execute("CREATE VIRTUAL TABLE search_fts USING fts5(body, extra, tokenize = 'unicode61 remove_diacritics 2')")
    text = "在昌原倡议的推动下"  # jieba cuts 在昌原 as one word here
    db.execute("INSERT INTO search_fts(rowid, body, extra) VALUES (1, ?, ?)", (segment(text), " ".join(subwords(text))))
    assert db.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH ?", (fts_or(["昌原"]),)).fetchall() == [(1,)]


def test_number_agreement():
    assert number_agreement(numbers("indicator 15.3.1 in 2030"), numbers("指标15.3.1，2030年")) == 1.0
    assert number_agreement(numbers("table 3"), numbers("no numbers")) == 0.0


def test_content_language_detects_only_where_a_link_may_mislead():
    from unkg.search.text import content_language

    zh_with_link = "缔约方会议请秘书处编写关于土地退化零增长的报告，见[Land Degradation Neutrality Target Setting](https://www.unccd.int/ldn)。"
    assert content_language(zh_with_link, "en") == "zh"  # the link's English title does not make it English
    assert content_language(zh_with_link) == "zh"
    # no link: the language ingest stored stands (a symbol line of a Chinese document is Chinese)
    assert content_language("ICCD/COP(16)/18", "zh") == "zh"
    assert content_language("Le Comité de la science et de la technologie prie le secrétariat", "fr") == "fr"
    assert content_language("Le Comité de la science et de la technologie prie le secrétariat de présenter un rapport") == "fr"
