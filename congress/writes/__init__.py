"""Changes to the register, each with its history row; accounts; the letterhead; new databases."""
