from . import controllers, models, wizards


def uninstall_hook(env):
    """Metrics this module measures go back to Manual before its providers disappear, those of
    the modules below it included (see partner_scorecard's readme/USAGE.md)."""
    Provider = env["partner.scorecard.provider"]
    Provider._release_providers(
        [code for code in Provider._get_providers() if code.startswith(("billing_",))]
    )
