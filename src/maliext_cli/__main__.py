from maliext_cli.cli.app import main

main()
