import pytest

from bsmflow.cards import apply_settings, read_pythia_card


def test_card_comments_and_blank_lines_are_dropped(tmp_path):
    card = tmp_path / "a.cmnd"
    card.write_text("! comment\n\nTop:gg2ttbar = on  ! inline\n# hash\n24:onMode=off\n")
    assert read_pythia_card(card) == ["Top:gg2ttbar = on", "24:onMode = off"]


def test_a_line_that_is_not_a_setting_names_file_and_line(tmp_path):
    card = tmp_path / "b.cmnd"
    card.write_text("Top:gg2ttbar = on\nTop:qqbar2ttbar on\n")
    with pytest.raises(ValueError, match=r"b.cmnd:2: not a 'Key = value'"):
        read_pythia_card(card)


def test_pythia_rejecting_a_setting_is_an_error():
    import pythia8mc

    pythia = pythia8mc.Pythia("", False)
    with pytest.raises(ValueError, match="card.cmnd: Pythia rejected the setting 'Top:gg2tbar = on'"):
        apply_settings(pythia, ["Top:gg2tbar = on"], "card.cmnd")


def test_every_shipped_card_is_accepted_by_pythia(repo):
    import pythia8mc

    for card in sorted((repo / "config" / "cards").rglob("*.cmnd")):
        apply_settings(pythia8mc.Pythia("", False), read_pythia_card(card), str(card))
