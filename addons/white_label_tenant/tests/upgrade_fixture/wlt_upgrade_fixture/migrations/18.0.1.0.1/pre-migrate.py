def migrate(cr, version):
    """Fail on purpose where the test asked for it: a database with wlt_fixture_fail_upgrade."""
    cr.execute("SELECT to_regclass('wlt_fixture_fail_upgrade')")
    if cr.fetchone()[0]:
        raise RuntimeError(
            "wlt_upgrade_fixture 18.0.1.0.1: this database asked the upgrade to fail "
            "(table wlt_fixture_fail_upgrade)"
        )
    cr.execute("CREATE TABLE IF NOT EXISTS wlt_fixture_migrated (at timestamp DEFAULT now())")
