from wsis.classify.lexicon import Lexicon, parse_query, phrase_key


def test_aurora_proximity_becomes_a_co_occurrence_condition():
    assert parse_query('( "money" )  W/3  ( "launder*" )') == [("money", ("launder*",))]


def test_elsevier_or_list_with_an_and_group_and_a_wildcard():
    terms = parse_query("<extreme poverty>  OR  ( <financial aid>  AND  <poverty> ) OR microfinanc*")
    assert terms == [("extreme poverty", ()), ("financial aid", ("poverty",)), ("microfinanc*", ())]


def test_and_not_keeps_only_the_left_side():
    assert parse_query("( crime ) AND NOT ( <crime fiction> )") == [("crime", ())]


def test_phrase_keys_stem_plurals_and_keep_prefixes_and_han():
    assert phrase_key("Smallholder Farmers") == phrase_key("smallholder farmer")
    assert phrase_key("microfinanc*") == "microfinanc*"
    assert phrase_key("远程医疗") == "han:远程医疗"


def _lexicon(*entries):
    return Lexicon([{"key": phrase_key(p), "label": label, "weight": 1.0, "phrase": p,
                     "requires": [phrase_key(r) for r in req]} for p, label, req in entries])


def test_match_finds_multi_word_phrases_prefixes_and_chinese():
    lex = _lexicon(("food security", "sdg:2", ()), ("vaccin*", "sdg:3", ()), ("远程医疗", "sdg:3", ()))
    found = {e.phrase for e in lex.match("Food security alerts and vaccination drives; 远程医疗服务")}
    assert found == {"food security", "vaccin*", "远程医疗"}
    assert lex.match("security of food") == []


def test_conditional_phrase_needs_its_companion():
    lex = _lexicon(("money", "sdg:16", ("launder*",)))
    assert lex.match("mobile money for traders") == []
    assert [e.phrase for e in lex.match("money laundering cases")] == ["money"]
