from maliext_cli.cli.entry import main

main()
