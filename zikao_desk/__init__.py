"""zikao_desk: the county self-taught examination office's desktop application."""

__version__ = "0.1.0"
APP_NAME = "zikao_desk"
APP_TITLE_ZH = "自考办毕业审核工作台"
