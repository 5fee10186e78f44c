"""The statistics stage (loaders/numbers.py): numbers anywhere in the text, with unit, what they count and their
qualifier. All texts here are FICTIONAL, written for these tests."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from atdkg.loaders.numbers import NumberCueError, NumberCues
from atdkg.loaders.sources import SourceError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def stats(parse_text, tmp_path):
    def read(body: str):
        pd = parse_text(body)
        text = (tmp_path / "doc.txt").read_text(encoding="utf-8")
        return [(s.value, s.upper, s.unit, s.counted, s.qualifier, text[s.span.start:s.span.end])
                for s in pd.statistics]
    return read


def test_counts_in_digits_and_words_with_what_they_count(stats):
    assert stats("The clinic trained 1,093 volunteers and nineteen border guards last spring.\n") == [
        ("1093", None, "count", "volunteers", None, "1,093 volunteers"),
        ("19", None, "count", "border guards", None, "nineteen border guards")]


def test_percentages_scales_money_and_time(stats):
    assert stats("Some 62 per cent of the families referred stayed in touch. The scheme cost USD 1.2 million. "
                 "The daily cost of a bed in detention was EUR 95. Screening took under one week.\n") == [
        ("62", None, "percent", "families referred", "some", "Some 62 per cent"),
        ("1200000", None, "USD", "cost of scheme", None, "USD 1.2 million"),
        ("95", None, "EUR", "daily cost of a bed", None, "EUR 95"),
        ("1", None, "weeks", "Screening", "under", "under one week")]


def test_ranges_ratios_and_qualifiers(stats):
    assert stats("Support lasted 4 – 10 months. Nearly 7 in 10 of the young people found housing. "
                 "Between 25 and 40 caseworkers were hired.\n") == [
        ("4", "10", "months", "Support", None, "4 – 10 months"),
        ("7", None, "count", "young people", "nearly, in 10", "Nearly 7 in 10 of the young people"),
        ("25", "40", "count", "caseworkers", "between", "Between 25 and 40 caseworkers")]


def test_references_dates_years_clock_times_and_sections_are_not_statistics(stats):
    assert stats("Under Objective 13 and Article 37, on 14 March 2022 at 10:30 the board met in 2019; "
                 "see Annex 2.\n\n2.1 Background of the 3 regions\n") == [
        ("3", None, "count", "regions", None, "3 regions")]


def test_a_count_without_anything_counted_is_left_out(stats):
    assert stats("The score went up to 12.\n") == []


def test_one_and_a_count_only_before_a_unit_of_time(stats):
    assert stats("One State said a reform took less than a year; one person left.\n") == [
        ("1", None, "years", "reform", "less than", "less than a year")]


def test_a_malformed_number_cue_file_names_file_and_key(tmp_path):
    shutil.copytree(ROOT / "data" / "gazetteer", tmp_path / "gazetteer")
    cues = tmp_path / "gazetteer" / "number_cues.yaml"
    cues.write_text(cues.read_text(encoding="utf-8").replace("qualifiers: [", "qualifiers: [no, "),
                    encoding="utf-8")
    with pytest.raises(NumberCueError, match=r"number_cues\.yaml: 'qualifiers' holds False"):
        NumberCues.load(tmp_path)
    assert issubclass(NumberCueError, SourceError)


def test_what_a_time_a_change_and_an_address_count(stats):
    found = {(s[0], s[3]) for s in stats("Most families were released within 72 hours of arrival. In 2022 the "
                                         "Office received 417 complaints, 31% more than in 2021, and fewer were "
                                         "referred within 24 hours. Write to 15 Harbour Row, 1000 Lowtown.\n")}
    assert ("72", "time to release") not in found  # "of arrival" follows: that is what the time is of
    assert ("31", "increase in complaints") in found  # a change in what the number before it counts
    assert ("24", "time to refer") in found  # nothing follows: the verb before says what took the time
    assert not any(v in ("15", "1000") for v, _ in found)  # a street number and a postcode count nothing


def test_a_number_that_is_the_subject_of_what_was_done_and_an_amount_per_day(stats):
    found = {(s[0], s[2], s[3]) for s in stats("Of the 400 families, 312 were referred to a community case manager "
                                               "and 29 of them had been made to wear an ankle monitor. A bed costs "
                                               "about USD 164 a day.\n")}
    assert ("312", "count", "referred to a community case manager") in found
    assert ("29", "count", "made to wear an ankle monitor") in found
    assert ("164", "USD", "daily cost of bed") in found  # the subject of "costs": what costs it


def test_a_share_counts_what_follows_the_whole(stats):
    found = [(s[0], s[3].split()[0], s[5]) for s in stats("In the end 116 of 118 households attended every "
                                                             "hearing.\n")]
    assert found[0][:2] == ("116", "households") and found[0][2].startswith("116 of 118 households")
    assert not any(v == "118" for v, _, _ in found)  # the whole is no statistic of its own


def test_what_changed_is_what_the_number_measures_and_comparison_words_count_nothing(stats):
    found = {(s[0], s[3]) for s in stats("School enrolment of refugee children rose from 35% in 2019 to 82% in 2022. "
                                         "Some had worn the device for longer than 12 months.\n")}
    assert ("82", "School enrolment of refugee children") in found
    assert not any(c in ("longer", "of", "against") for _, c in found)


def test_hyphenated_number_words_figures_said_twice_and_labelled_figures(stats):
    found = [(s[0], s[2], s[3], s[5]) for s in stats("Thirty-four (34) participants attended. Staff: 42. The "
                                                      "scheme costs about PHP 410 a day.\n")]
    assert [(v, c.split()[0], e.startswith("Thirty-four (34) participants")) for v, _, c, e in found
            if v == "34"] == [("34", "participants", True)]
    assert not any(v == "34" and e == "(34)" for v, _, _, e in found)  # the digits are not a second statistic
    assert ("42", "count", "Staff", "42") in [(v, u, c, e) for v, u, c, e in found]
    assert ("410", "PHP", "daily cost of scheme") in [(v, u, c) for v, u, c, _ in found]


def test_figures_in_a_plain_text_table_are_statistics_of_their_row_and_column(parse_text):
    # FICTIONAL tables: a year per row (the column says what is counted), and indicators with wrapped labels
    body = ("Table 1. Custody and alternatives\n\n"
            "Year     Placed in custody   Average stay (days)   Alternatives (% of decisions)\n"
            "2022           312                  34                      17.2\n"
            "2023           209                  38                      36.1\n\n"
            "Indicator                                   Baseline   Target   Result\n"
            "Children held in police stations or            147         30       41\n"
            "  detention facilities during the year\n"
            "Officers trained in screening                    0        400      356\n")
    stats = {(s.value, s.unit): s for s in parse_text(body).statistics}
    assert stats[("312", "count")].counted == "Placed in custody in 2022"
    assert stats[("38", "days")].counted == "Average stay in 2023"
    assert stats[("36.1", "percent")].counted == "Alternatives in 2023"
    held = stats[("147", "count")]
    assert held.counted == "Children held in police stations or detention facilities during the year"
    assert held.qualifier == "baseline"
    assert stats[("356", "count")].counted == "Officers trained in screening"
    assert not any(s.value in ("2022", "2023") for s in stats.values())


def test_running_text_with_spaced_figures_is_no_table(parse_text):
    from atdkg.loaders.tables import find_tables
    assert find_tables("In 2021  the centre held  148 people  and  41 children.\nIt was  full.\n") == []


def test_a_number_that_is_the_subject_of_a_verb_counts_those_who_did_it(parse_text):
    stats = {s.value: s.counted for s in parse_text(
        "Of the 131 people under an alternative, 9 left the country voluntarily and 4 could not be located. "
        "Some 210 people joined, out of 1,140 who had registered; 64 have completed the course.\n").statistics}
    assert stats["9"].startswith("left the country voluntarily")
    assert stats["4"].startswith("could not be located") or stats["4"].startswith("located")
    assert stats["1140"].startswith("registered")
    assert stats["64"].startswith("completed the course")


def test_limits_ranges_and_averages_are_qualifiers_not_what_is_counted(parse_text):
    stats = {s.value: s for s in parse_text(
        "In 2024, 80 per cent of stays lasted between 10 and 45 days. Custody may be extended to no more than "
        "6 months. A day in detention costs between 90 and 120 euros per person.\n").statistics}
    assert (stats["10"].qualifier, stats["10"].upper, stats["10"].counted) == ("between", "45", "stays")
    assert stats["6"].qualifier == "no more than" and stats["6"].counted != "no"
    assert stats["90"].unit == "EUR" and stats["90"].counted == "cost of day in detention"


def test_a_share_told_by_a_fraction_is_its_numerator_in_its_denominator(parse_text):
    stats = parse_text("Nearly half of the States rely on circulars. Two-thirds of her organisation's case workers "
                       "left. In the first half of 2024 and the third quarter, nothing changed.\n").statistics
    got = sorted((s.value, s.qualifier) for s in stats)
    assert got == [("1", "nearly, in 2"), ("2", "in 3")], got


def _read(stats, body: str) -> dict[str, tuple]:
    """Statistics by their evidence: (value, upper, unit, counted, qualifier)."""
    return {ev: (v, up, unit, counted, q) for v, up, unit, counted, q, ev in stats(body)}


def test_none_of_a_whole_is_zero_out_of_it_and_the_whole_is_no_count_of_its_own(stats):
    found = _read(stats, "None of the 650 children assessed was detained. None of them were detained again.\n")
    assert found["None of the 650 children assessed"] == ("0", None, "count", "children assessed", "of 650")
    assert not any(ev.startswith("650") for ev in found)
    assert next(v for ev, v in found.items() if ev.startswith("None of them"))[:3] == ("0", None, "count")


def test_an_age_after_under_or_aged_is_years_of_age_not_a_count(stats):
    found = _read(stats, "Anyone under 18 is referred. Pupils aged 7 to 15 attend. Boys aged 16 were held. "
                         "Over 20 were detained.\n")
    assert found["under 18"] == ("18", None, "years", "age", "under")
    assert found["aged 7 to 15"] == ("7", "15", "years", "age", None)  # the evidence holds what makes it an age
    assert found["aged 16"][2:4] == ("years", "age")
    assert next(v for ev, v in found.items() if ev.startswith("Over 20"))[2] == "count"  # people, not an age


def test_a_decade_and_time_since_an_event_told_before_or_after(stats):
    found = _read(stats, "The country has not detained a child for more than a decade. Four years ago, States "
                         "promised to end child detention.\n")
    assert found["more than a decade"][:3] == ("10", None, "years")
    assert found["Four years"][3] == "time since States promised to end child detention"


def test_a_share_of_them_and_what_a_number_had_say_what_is_counted(stats):
    found = _read(stats, "Of the 40 programmes, 30 of them relied on case workers, and only seven had public "
                         "funding. About a fifth of them were released to community groups within 48 hours.\n")
    assert next(v for ev, v in found.items() if ev.startswith("Of the 40 programmes, 30 of them"))[3] == \
        "relied on case workers"  # (the part told with its whole)
    assert next(v for ev, v in found.items() if ev.startswith("only seven"))[3:] == ("public funding", "only")
    assert found["within 48 hours"][2:] == ("hours", "time to release to community groups", "within")


def test_how_often_is_a_rate_and_what_is_done_says_what_it_counts(stats):
    # FICTIONAL sentences
    found = _read(stats, "Each family has a case worker, who visits at least twice a month. Publish, at least once a "
                         "year, data on children held. The Ombudsman inspected the centre four times in 2024. "
                         "Both grants are renewed every twelve months.\n")
    assert found["at least twice a month"][:4] == ("2", None, "per month", "visits")
    assert found["at least once a year"][2:4] == ("per year", "Publish data")  # a lone verb: what it acts on
    assert found["four times"][:4] == ("4", None, "count", "times Ombudsman inspected the centre")
    assert found["every twelve months"][2:5] == ("months", "interval at which Both grants are renewed", "every")


def test_time_spent_somewhere_and_a_unit_that_is_no_span(stats):
    found = _read(stats, "He spent 97 days in detention. Holding someone in Lindela for four months costs more. "
                         "He arrived from Eritrea in 2021 and waited 40 days. A day in detention costs EUR 90.\n")
    assert found["97 days"][3] == "time in detention"
    assert found["four months"][3] == "time in Lindela"  # a name after "in": where the time was spent
    assert found["40 days"][3] == "time to wait"  # not Eritrea: where someone came from says nothing of the wait
    assert not any(ev.startswith("A day") for ev in found)  # "a day" names the unit of the cost, not a span


def test_a_range_of_percentages_a_confidence_level_and_a_figure_down_from_another(stats):
    found = _read(stats, "Compliance ranged from 84% to 97% across sites (95% CI: 89–93). They counted 43 children "
                         "held there, down from 118 a year earlier.\n")
    assert found["84% to 97%"][:4] == ("84", "97", "percent", "Compliance")
    assert not any(ev.startswith("95%") for ev in found)  # the confidence level is a property of the method
    assert found["118"][3] == "children"  # what the figure before counted


def test_every_unit_the_reader_gives_is_one_the_shapes_accept(one_document_corpus):
    # FICTIONAL report: a rate per unit of time, a span, a share, an amount and a count, built and validated
    from atdkg.build import build_graph
    from atdkg.terms import ATD
    text = ("Report of the Lowland exchange\n\nA case worker visits each family twice a month and reports on it "
            "once a year; families wait 12 days for a decision, 74% stay in contact, the scheme costs EUR 95 "
            "a day and 64 police officers were trained.\n")
    result = build_graph(one_document_corpus(text), "https://example.org/")
    assert result.conforms, result.report_text
    units = {str(u) for u in result.dataset.objects(None, ATD.unit)}
    assert {"per month", "per year", "days", "percent", "EUR", "count"} <= units, units


def test_a_change_is_two_figures_a_year_starts_no_range_and_a_sample_has_a_size(stats):
    # FICTIONAL sentences
    found = _read(stats, "Compliance rose from 64% to 89% in 2024. Enrolment grew in 2019 to 82% in 2022. Women "
                         "stayed between two and six weeks. A survey (n = 212) found that close to half of all "
                         "people were women. The shortfall of USD 1.8 million puts the desk at risk.\n")
    assert found["64%"][:3] == ("64", None, "percent") and found["89%"][:3] == ("89", None, "percent")
    assert found["82%"][:3] == ("82", None, "percent")  # not a range from the year before it
    assert found["between two and six weeks"][:3] == ("2", "6", "weeks")
    assert found["212"][3] == "sample size"
    assert next(v for ev, v in found.items() if ev.startswith("close to half"))[4] == "close to, in 2"
    assert found["USD 1.8 million"][3] == "shortfall"  # what follows is a verb, not what the amount is


def test_a_change_names_only_the_figures_in_its_own_words(stats):
    found = _read(stats, "Average daily occupancy fell from 152 in 2023 to 109 in 2025, but stays grew longer: the "
                         "average length of detention in the files was 97 days.\n")
    assert found["97 days"][3] == "average length of detention"


def test_spans_as_adjectives_zero_subjects_comparisons_and_parts(stats):
    found = {(v, u, c, q, e) for v, _, u, c, q, e in stats(
        "The officers attended a three-day course on screening, and we ask for a 28-day time limit. A 12-year-old "
        "boy was held. No child from the pilot has been placed in a detention centre, and none absconded. No child "
        "should be detained. Detention costs about $164 a day per person, against less than $5 for a caseworker. "
        "Case management cost BGN 41 per family per day, against BGN 118 in a closed centre. Public custody is "
        "estimated to cost MDL 1,150 per person per day, against MDL 260–340 for case management. The Ministry paid "
        "out over GBP 9 million in compensation. The team has 40 staff, of whom 19 are social workers; it met 30 "
        "children, 11 of whom were with a parent.\n")}
    assert ("3", "days", "length of course", None, "three-day") in found
    assert ("28", "days", "time limit", None, "28-day") in found
    assert ("12", "years", "age of boy", None, "12-year-old") in found
    assert ("0", "count", "child from the pilot placed in a detention centre", None,
            "No child from the pilot has been placed in a detention centre") in found
    assert ("0", "count", "absconded", None, "none absconded") in found
    assert not any(e.startswith("No child should") for *_, e in found)  # a norm, not a count of zero
    # the qualifier before a currency belongs to the figure; a figure "against" another measures the same
    assert ("164", "USD", "daily cost of detention", "about", "about $164 a day") in found
    assert ("5", "USD", "daily cost for a caseworker", "less than", "less than $5") in found
    assert ("118", "BGN", "daily cost per family in a closed centre", None, "BGN 118") in found  # "in a": no ratio
    assert ("1150", "MDL", "daily cost of public custody per person", None, "MDL 1,150 per person per day") in found
    assert ("260", "MDL", "daily cost per person for case management", None, "MDL 260–340") in found
    assert ("9000000", "GBP", "compensation", "over", "over GBP 9 million in compensation") in found
    assert ("19", "count", "social workers", None, "19 are social workers") in found
    assert ("11", "count", "children with a parent", None, "11 of whom were with a parent") in found


def test_a_span_after_for_measures_how_long_the_verb_before_it_lasted(stats):
    found = {(v, c) for v, _, _, c, _, _ in stats(
        "One in five people in the centres had been held for longer than 28 days, and staff saw more self-harm. Four "
        "children were held with their mothers for a total of nine days before being released. Women are hosted in "
        "the community houses for up to nine months.\n")}
    assert ("28", "time held") in found
    assert ("9", "time held with their mothers") in found
    assert ("9", "time hosted in the community houses") in found


def test_a_part_of_a_whole_told_with_its_whole(stats):
    found = stats("Only 16 of the 41 States set a deadline. The Council released 212 migrants in 2024 and 187 of "
                  "them in 2025. Of the 265 people supported, 251 attended every hearing.\n")
    by_value = {v: (counted, quote) for v, _, _, counted, _, quote in found}
    assert by_value["16"] == ("States set a deadline", "Only 16 of the")
    assert by_value["187"] == ("migrants", "187 of them")
    assert by_value["251"][1].startswith("Of the 265 people supported, 251")


def test_an_age_said_as_one_at_any_age(stats):
    found = stats("Her youngest child, aged 2, stayed with her. He was detained at the age of 15. Children leave the "
                  "pilot when they turn 18.\n")
    assert [(v, unit, counted, quote) for v, _, unit, counted, _, quote in found] == [
        ("2", "years", "age", "aged 2"), ("15", "years", "age", "at the age of 15"), ("18", "years", "age", "turn 18")]


def test_a_mother_of_two_counts_her_children_and_a_team_of_22_its_members(stats):
    found = stats("A mother of two, she arrived in May. Her team of 22 supported 430 clients. The team of 12 lawyers "
                  "met, with staff of six United Nations entities.\n")
    counted = {v: c for v, _, _, c, _, _ in found}
    assert counted["2"] == "children" and counted["22"] == "members of the team" and counted["12"] == "lawyers"
    assert counted.get("6") != "members of the staff"


def test_a_key_figure_with_a_long_label_a_part_of_it_and_the_same_figure_again_in_brackets(stats):
    found = stats("Children returned to Lowland from Northland and the Federation of Eastland: 16,480\n"
                  "  of whom unaccompanied: 5,912\n"
                  "Children held in immigration facilities: 0 (118 in 2021)\n"
                  "Public budget for child reception, 2025: GTQ 48.6 million (approx. USD 6.3 million)\n")
    counted = {v: c for v, _, _, c, _, _ in found}
    assert counted["16480"] == "Children returned to Lowland from Northland and the Federation of Eastland"
    assert counted["5912"] == "unaccompanied"
    assert counted["118"] == "Children held in immigration facilities"
    assert counted["6300000"] == counted["48600000"]  # the same budget, in another currency


def test_a_span_of_time_before_a_clause_is_the_time_of_what_it_says_and_a_pronoun_counts_nothing(stats):
    found = stats("For six months they were held in a centre. Within three months I was volunteering at a food bank. "
                  "For two years I was a number.\n")
    assert [(v, c) for v, _, _, c, _, _ in found] == [("6", "time held"), ("3", "time volunteering")]
