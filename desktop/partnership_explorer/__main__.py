from partnership_explorer.cli import main

main()
