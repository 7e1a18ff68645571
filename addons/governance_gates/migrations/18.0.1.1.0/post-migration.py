"""Remove the duplicate criteria and approval rules an update added to the shipped gate templates.

Before e9fcab4 (white_label_tenant's gate templates became noupdate data) every ``-u`` created the
templates' inline criteria and approval rules once more. A database updated before then holds
copies: same template, name, kind and check (criteria), same template, name and approver (rules).
The oldest of each group stays; a copy no gate line (no approval) refers to is deleted, a copy
that one refers to stays, so nothing a gate recorded changes. Logged with the counts.
"""

import logging

_logger = logging.getLogger(__name__)

CRITERIA = """
    DELETE FROM governance_gate_criterion c
     USING governance_gate_criterion keep
     WHERE keep.id < c.id
       AND keep.template_id = c.template_id
       AND keep.name::text = c.name::text
       AND keep.kind = c.kind
       AND keep.check_type = c.check_type
       AND coalesce(keep.check_domain, '') = coalesce(c.check_domain, '')
       AND coalesce(keep.python_check, '') = coalesce(c.python_check, '')
       AND NOT EXISTS (SELECT 1 FROM governance_gate_line l WHERE l.criterion_id = c.id)
    RETURNING c.id
"""
RULES = """
    DELETE FROM governance_gate_approval_rule r
     USING governance_gate_approval_rule keep
     WHERE keep.id < r.id
       AND keep.template_id = r.template_id
       AND keep.name::text = r.name::text
       AND keep.approver_type = r.approver_type
       AND keep.group_id IS NOT DISTINCT FROM r.group_id
       AND keep.user_id IS NOT DISTINCT FROM r.user_id
       AND keep.user_field_id IS NOT DISTINCT FROM r.user_field_id
       AND NOT EXISTS (SELECT 1 FROM governance_gate_approval a WHERE a.rule_id = r.id)
    RETURNING r.id
"""


def _delete(cr, query, model):
    cr.execute(query)
    ids = [row[0] for row in cr.fetchall()]
    if ids:
        cr.execute("DELETE FROM ir_model_data WHERE model = %s AND res_id = ANY(%s)", [model, ids])
        _logger.info("removed %s duplicate %s record(s) of shipped gate templates", len(ids), model)
    return ids


def migrate(cr, version):
    if not version:
        return
    _delete(cr, CRITERIA, "governance.gate.criterion")
    _delete(cr, RULES, "governance.gate.approval.rule")
