"""PySide6 user interface. Talks to ``zikao_desk.services`` only; never builds a query."""
