from zjeval.cli import main

main()
