<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DashboardModel</name>
    <message>
        <source>County</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>Candidates</source>
        <translation>考生</translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>Identity review</source>
        <translation>身份核验</translation>
    </message>
    <message>
        <source>Photo review</source>
        <translation>照片审核</translation>
    </message>
    <message>
        <source>Materials check</source>
        <translation>材料核对</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>zikao_desk — County Self-Study Exam Office</source>
        <translation>zikao_desk — 自考办毕业审核工作台</translation>
    </message>
    <message>
        <source>Work queues by county</source>
        <translation>各区县待办</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>退出(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Loading failed</source>
        <translation>加载失败</translation>
    </message>
    <message>
        <source>Cannot load</source>
        <translation>无法加载</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>已更新</translation>
    </message>
    <message>
        <source>About zikao_desk</source>
        <translation>关于 zikao_desk</translation>
    </message>
    <message>
        <source>zikao_desk %1
The county self-study examination office's desktop application.</source>
        <translation>zikao_desk %1
县区自考办毕业审核桌面程序。</translation>
    </message>
</context>
</TS>
