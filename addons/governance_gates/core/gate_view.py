"""The gate smart button the mixin injects into the form view of every adopting model.

Pure lxml: the mixin passes the translated labels and the group, this module finds where the
button goes. A form whose sheet has no button box gets one; a form without a sheet (a quick-create
form, a dialog) and a form that already shows the button are left alone.

>>> from lxml import etree
>>> arch = etree.fromstring("<form><sheet><group/></sheet></form>")
>>> inject_gate_button(arch, "Gates", "g.group")
True
>>> arch.xpath("//div[@name='button_box']/button/@name")
['action_gate_open']
>>> inject_gate_button(arch, "Gates", "g.group")
False
>>> inject_gate_button(etree.fromstring("<form><group/></form>"), "Gates", "g.group")
False
"""

from lxml import etree

BUTTON_METHOD = "action_gate_open"


def gate_button(label, groups):
    """The smart button: the record's gate status, opening its gates; hidden without a gate."""
    button = etree.Element(
        "button",
        name=BUTTON_METHOD,
        type="object",
        icon="fa-flag-checkered",
        invisible="not gate_count",
        groups=groups,
    )
    button.set("class", "oe_stat_button")
    info = etree.SubElement(button, "div")
    info.set("class", "o_stat_info")
    text = etree.SubElement(info, "span")
    text.set("class", "o_stat_text")
    text.text = label
    status = etree.SubElement(info, "field", name="gate_state", widget="badge")
    status.set("class", "o_stat_value")
    status.set("decoration-success", "gate_state == 'passed'")
    status.set("decoration-info", "gate_state == 'open'")
    status.set("decoration-warning", "gate_state in ('hold', 'recycled')")
    status.set("decoration-danger", "gate_state == 'killed'")
    return button


def inject_gate_button(arch, label, groups):
    """Add the gate button (and the invisible ``gate_count`` it needs) to the button box of a
    form ``arch`` (an lxml element, changed in place). Returns whether it was added."""
    if arch.tag != "form" or arch.xpath(f"//button[@name='{BUTTON_METHOD}']"):
        return False
    boxes = arch.xpath("//div[@name='button_box']")
    if boxes:
        box = boxes[0]
    else:
        sheets = arch.xpath("//sheet")
        if not sheets:
            return False
        box = etree.Element("div", name="button_box")
        box.set("class", "oe_button_box")
        sheets[0].insert(0, box)
    box.append(gate_button(label, groups))
    box.append(etree.Element("field", name="gate_count", invisible="1"))
    return True
