import doctest

from lxml import etree

from ...core import gate_logic, gate_view


def test_doctests():
    assert doctest.testmod(gate_view).failed == 0
    assert doctest.testmod(gate_logic).failed == 0


def test_button_goes_into_the_existing_button_box_once():
    arch = etree.fromstring(
        "<form><sheet><div class='oe_button_box' name='button_box'><button name='x'/></div>"
        "</sheet></form>"
    )
    assert gate_view.inject_gate_button(arch, "Gates", "base.group_user")
    box = arch.xpath("//div[@name='button_box']")
    assert len(box) == 1
    assert [child.get("name") for child in box[0]] == ["x", "action_gate_open", "gate_count"]
    button = box[0][1]
    assert button.get("groups") == "base.group_user"
    assert button.get("invisible") == "not gate_count"
    assert button.xpath(".//span[@class='o_stat_text']")[0].text == "Gates"
    assert button.xpath(".//field/@name") == ["gate_state"]


def test_sheet_without_button_box_gets_one_first():
    arch = etree.fromstring("<form><header/><sheet><group/></sheet></form>")
    assert gate_view.inject_gate_button(arch, "Gates", "g")
    assert arch.find("sheet")[0].get("name") == "button_box"


def test_hand_written_button_is_not_doubled():
    arch = etree.fromstring(
        "<form><sheet><button name='action_gate_open' type='object'/></sheet></form>"
    )
    assert not gate_view.inject_gate_button(arch, "Gates", "g")
    assert len(arch.xpath("//button[@name='action_gate_open']")) == 1


def test_check_outcome():
    assert gate_logic.check_outcome(gate_logic.CheckResult(True, "ok")) == ("pass", "ok")
    assert gate_logic.check_outcome(None) == ("fail", "")
