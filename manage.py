#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from config.var import var_prepare

    var_prepare()  # the settings only read ./var: create it and the secret key first
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
