"""Entry script of the frozen app (PyInstaller): the same `main` as the `partnership-explorer` command."""

from partnership_explorer.cli import main

if __name__ == "__main__":
    main()
