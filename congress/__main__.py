from congress.cli import main

main(prog_name="congress")
