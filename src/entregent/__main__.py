from entregent.cli import main

main()
