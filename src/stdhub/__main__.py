from stdhub.cli import main

main()
