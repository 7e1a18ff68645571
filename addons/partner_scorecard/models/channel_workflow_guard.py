from odoo import api, models
from odoo.exceptions import AccessError

# The context key under which the bypass travels. Its value must be a _WorkflowBypass, a Python
# object that no JSON-RPC client can send (a client controls the context but only with JSON values).
_BYPASS_KEY = "channel_workflow_bypass"


class _WorkflowBypass(frozenset):
    """The model names whose workflow fields the current call may write (see _workflow_write)."""


class ChannelWorkflowGuard(models.AbstractModel):
    """Workflow fields change only through the model's own actions, for every caller.

    An adopting model lists its workflow fields; ``create()``/``write()`` refuse them unless the
    call comes through ``_workflow_write``/``_workflow_create`` (private: not callable over RPC).
    See governance_gates/readme/DEVELOP.md, "Workflow fields guarded on the server".
    """

    _name = "channel.workflow.guard"
    _description = "Channel Workflow Guard"

    # fields only the model's actions set, on create and on write (an extension of the model
    # lists only the fields it adds: see _workflow_declared)
    _workflow_fields = ()
    # fields a plain create may set but nothing but the actions may change afterwards
    _workflow_frozen_fields = ()
    # workflow fields a duplicate keeps (what identifies the record, e.g. a gate's record and
    # stage); the others are not copied: a duplicate starts where a new record starts
    _workflow_copied_fields = ()
    # {field name: label of the action that changes it}, named in the error message
    _workflow_actions = {}
    # models whose records this model's actions create or write through x2many commands (a gate
    # opens with its criteria): the bypass of this model covers them too
    _workflow_children = ()

    # ------------------------------------------------------------------ the one bypass

    def _workflow_bypass_env(self):
        """This recordset with the bypass for its own model added to the context."""
        current = self.env.context.get(_BYPASS_KEY)
        allowed = current if isinstance(current, _WorkflowBypass) else _WorkflowBypass()
        models_allowed = allowed | {self._name, *self._workflow_children}
        return self.with_context(**{_BYPASS_KEY: _WorkflowBypass(models_allowed)})

    def _workflow_write(self, vals):
        """Write workflow fields: the only way the model's actions may set them."""
        return self._workflow_bypass_env().write(vals)

    @api.model
    def _workflow_create(self, vals_list):
        """Create records with workflow fields set (the actions that open records use this).

        The records come back in the caller's environment, without the bypass: a later plain
        ``write`` on them is guarded again."""
        return self._workflow_bypass_env().create(vals_list).with_env(self.env)

    def _workflow_bypassed(self):
        allowed = self.env.context.get(_BYPASS_KEY)
        return isinstance(allowed, _WorkflowBypass) and self._name in allowed

    # ------------------------------------------------------------------ the guard

    @classmethod
    def _workflow_declared(cls, attribute):
        """``attribute`` (``_workflow_fields``, ``_workflow_frozen_fields`` or
        ``_workflow_actions``) gathered over the model's class and every extension of it: an
        extension (``_inherit``) declares only what it adds, and no extension can hide another's
        by declaring the attribute again. Tuples are united; dicts merged, later modules winning.
        """
        declared = [vars(klass)[attribute] for klass in cls.__mro__ if attribute in vars(klass)]
        if attribute == "_workflow_actions":
            merged = {}
            for actions in reversed(declared):
                merged.update(actions)
            return merged
        return {name for names in declared for name in names}

    def _workflow_check_vals(self, vals, creating=False):
        guarded = self._workflow_declared("_workflow_fields")
        if not creating:
            guarded |= self._workflow_declared("_workflow_frozen_fields")
        refused = sorted(guarded.intersection(vals))
        if not refused or self._workflow_bypassed():
            return
        fields_text = ", ".join(
            f"“{self._fields[name].string}” ({name})" if name in self._fields else name
            for name in refused
        )
        declared_actions = self._workflow_declared("_workflow_actions")
        actions = [declared_actions[name] for name in refused if name in declared_actions]
        hint = (
            self.env._("use the action “%s” instead", "”, “".join(dict.fromkeys(actions)))
            if actions
            else self.env._("these fields change only through the record's actions (buttons)")
        )
        raise AccessError(
            self.env._(
                "You cannot set %(fields)s on %(model)s directly: %(hint)s.",
                fields=fields_text,
                model=self._description,
                hint=hint,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._workflow_check_vals(vals, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._workflow_check_vals(vals)
        return super().write(vals)

    def copy_data(self, default=None):
        """A duplicate gets no workflow state: the workflow fields are left out of the copied
        values (they take their defaults), except ``_workflow_copied_fields``."""
        vals_list = super().copy_data(default)
        dropped = self._workflow_declared("_workflow_fields") - self._workflow_declared(
            "_workflow_copied_fields"
        )
        for vals in vals_list:
            for name in dropped.difference(default or ()):
                vals.pop(name, None)
        return vals_list

    def copy(self, default=None):
        """Duplicate: the values the caller sends (``default``) are guarded like a create's; the
        workflow fields the duplicate keeps come from the original, through the bypass."""
        self._workflow_check_vals(default or {}, creating=True)
        if not self._workflow_declared("_workflow_copied_fields"):
            return super().copy(default)
        original = super(ChannelWorkflowGuard, self._workflow_bypass_env())
        return original.copy(default).with_env(self.env)

    # data files (XML, loaded as superuser at install/update) are trusted; an import by a user
    # (``load``) runs without superuser and stays guarded
    def _load_records_create(self, vals_list):
        target = self._workflow_bypass_env() if self.env.su else self
        return super(ChannelWorkflowGuard, target)._load_records_create(vals_list)

    def _load_records_write(self, values):
        target = self._workflow_bypass_env() if self.env.su else self
        return super(ChannelWorkflowGuard, target)._load_records_write(values)

    # ------------------------------------------------------------------ the one access check

    def _workflow_check_group(self, group_xmlid, action):
        """Raise AccessError unless the user is in the group; ``action`` says what was tried
        (translated, e.g. ``self.env._("waive a gate criterion")``)."""
        if self.env.su or self.env.user.has_group(group_xmlid):
            return
        group = self.env.ref(group_xmlid, raise_if_not_found=False)
        raise AccessError(
            self.env._(
                "Only members of “%(group)s” can %(action)s.",
                group=group.sudo().full_name if group else group_xmlid,
                action=action,
            )
        )
