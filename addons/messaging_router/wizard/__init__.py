from . import messaging_slack_thread_start
