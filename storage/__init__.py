"""The only package that talks SQL: tables, repositories, the unit of work, FSM storage, migrations."""
