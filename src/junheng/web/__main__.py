"""``python -m junheng.web <command>``: Django's management commands on the workspace settings."""
import os
import sys

from django.core.management import execute_from_command_line

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junheng.web.settings")
execute_from_command_line([sys.argv[0], *sys.argv[1:]])
