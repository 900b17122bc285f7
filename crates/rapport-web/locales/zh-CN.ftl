# Rapport 员工控制台 — 简体中文。
# 每条消息都与 en.ftl 一一对应（有单元测试检查）。

nav-label = 主菜单
nav-dashboard = 概览
nav-arrivals = 到店
search-label = 查找客人
search-placeholder = 姓名、电话、邮箱或编号
search-shortcut = 按 / 开始搜索
search-title = 客人
search-help = 可输入任意文字的姓名、拼音、任意格式的电话、邮箱或编号。
search-none = 未找到客人
search-found = 找到 { $n } 位客人
logout = 退出
language = 语言

login-title = 登录
login-intro = 酒店集团员工控制台。
login-user = 用户名
login-password = 密码
login-submit = 登录
login-failed = 用户名或密码错误。
login-throttled = 失败次数过多，请 { $minutes } 分钟后再试。

role-front-desk = 前台
role-guest-relations = 宾客关系
role-marketing = 市场营销
role-manager = 经理
role-admin = 管理员

error-title = 出错了
error-title-not-found = 未找到
error-title-forbidden = 无权操作
error-title-signed-out = 已退出
error-not-found = 此处没有内容，或不在您可查看的酒店范围内。
error-forbidden = 您的角色无权执行此操作。
error-csrf = 此表单已过期或并非来自 Rapport。请刷新页面后重试。
error-signed-out = 您的会话已结束，请重新登录。
error-conflict = 有人同时修改了此内容。请刷新后重试。
error-internal = 服务器无法完成此操作，已记录日志。
error-form-too-large = 表单内容过大。
error-language = 未知语言。
error-home = 返回概览

hotel = 酒店
date = 日期
show = 显示
print = 打印
save = 保存
cancel = 取消
today = 今天
in-days = { $count ->
    [one] 明天
   *[other] { $n } 天后
}
previous-day = 前一天
next-day = 后一天

dashboard-group = 整个集团
dashboard-guests = 客人
dashboard-stays = 入住
dashboard-returning = 回头客比例
dashboard-revenue = 收入
dashboard-revenue-by-month = 月度收入
dashboard-chart-title = { $hotel }：月度收入
dashboard-as-of = 数据截至 { $when }（UTC），每隔几分钟更新。

guest-edit = 编辑档案
guest-saved = 档案已保存。
guest-warnings = 过敏与禁忌
guest-identity = 身份与联系方式
guest-contacts = 联系方式
guest-family = 家庭成员
guest-no-family = 未记录家庭成员。
guest-preferences = 偏好
guest-no-preferences = 未记录偏好。
guest-consents = 同意
guest-stays = 入住记录
guest-no-stays = 在您可查看的酒店中没有入住记录。
guest-spend = 按类别消费
guest-no-spend = 在您可查看的酒店中没有消费记录。
guest-notes = 备注
guest-no-notes = 暂无备注。
guest-conflict = 您编辑期间，同事已保存此档案；您的修改未被保存。
guest-reload = 载入同事的版本
form-has-errors = 部分字段需要修改；未保存任何内容。

vip-code = VIP 代码
fact-birthday = 生日
fact-anniversary = 结婚纪念日
fact-language = 语言
fact-nationality = 国籍
fact-company = 公司
fact-external-ids = 其他系统编号
fact-member-since = 建档日期
age-years = { $n } 岁
contact-email = 邮箱
contact-phone = 电话
contact-address = 地址
contact-unverified = 不是有效的地址或号码；按原样保存
family-name = 姓名
family-relation = 关系

field-title = 称谓
field-given = 名
field-family = 姓
field-native = 本国文字姓名
field-tags = 标签（以逗号分隔）
field-emails = 邮箱（每行一个）
field-phones = 电话（每行一个）
field-street = 街道
field-postcode = 邮编
field-city = 城市
field-region = 省/州
field-country = 国家
field-preferences = 偏好
field-preferences-help = 每行一条：客房、餐饮或服务，然后 项目 = 值。例如：room: floor = high
field-taboos = 过敏与禁忌
field-taboos-help = 每行一条：过敏、禁忌或不喜欢，然后内容。例如：过敏: 花生
field-family-help = 每行一位：姓名; 关系; 生日（YYYY-MM-DD）。例如：Lily; 女儿; 2018-11-25

invalid-date = 不是有效日期；请写成 YYYY-MM-DD。
invalid-field = 此值无效。
invalid-name = 客人需要名、姓或本国文字姓名（每项最多 100 个字符）。
invalid-language = 不是语言代码，例如 en 或 zh-CN。
invalid-country = 不是国家代码，例如 CN 或 GB。
invalid-birthday = 生日不能晚于今天。
invalid-email = 不是有效的邮箱地址。
invalid-phone = 不是有效的电话号码。
invalid-family = 每位家庭成员需要姓名，生日不能晚于今天。
invalid-preference = 每条偏好请写成：room|food|service: 项目 = 值。
invalid-taboo = 每条请写成：过敏|禁忌|不喜欢: 内容。

pref-room = 客房
pref-food = 餐饮
pref-service = 服务
taboo-allergy = 过敏
taboo-taboo = 禁忌
taboo-dislike = 不喜欢

status-booked = 已预订
status-in-house = 在住
status-checked-out = 已退房
status-cancelled = 已取消
status-no-show = 未到店
stays-count = { $n } 次入住
nights-count = { $n } 晚
adults-count = { $n } 位成人
children-count = { $n } 位儿童
stay-requests = 特殊要求

spend-room = 客房
spend-food-beverage = 餐饮
spend-spa = 水疗
spend-laundry = 洗衣
spend-minibar = 迷你吧
spend-other = 其他

channel-email = 邮件
channel-sms = 短信
channel-phone = 电话
channel-post = 邮寄
channel-wechat = 微信
consent-granted = 同意
consent-refused = 拒绝
consent-unknown = 未询问

note-new = 新备注
note-about = 关于
note-about-guest = 客人整体
note-add = 添加备注
note-invalid = 备注需为 1 至 4,000 个字符。

occasion-birthday-guest = 生日
occasion-anniversary = 结婚纪念日
occasion-birthday-of = { $name } 的生日
occasion-birthday-turns = 生日：满 { $n } 岁
occasion-anniversary-years = 结婚纪念日：{ $n } 周年

arrivals-title = 到店简报
arrivals-none = 当天没有到店客人。
arrivals-count = { $n } 位到店客人
returning-guest = 回头客：{ $detail }
first-stay = 首次入住
earlier-stays = 此前入住 { $n } 次
last-visit = 上次入住 { $when }
earlier-notes = 员工备注
touch-allergy = 过敏
touch-taboo = 禁忌
touch-dislike = 不喜欢
touch-room-preference = 客房
touch-food-preference = 餐饮
touch-service-preference = 服务
touch-birthday = 生日
touch-anniversary = 纪念日
touch-special-request = 特殊要求

guest-value = 客户价值
guest-no-value = 尚未分析（价值分析每晚运行，也可执行 `rapport analyze`）。
value-scope = 范围
value-tier = 等级
value-rfm = RFM 细分
value-p-alive = 仍活跃概率
value-expected-stays = 未来一年入住
value-lifetime = 客户终身价值
value-churn = 流失风险
value-tier-history = 等级变化
tier-vip = VIP客户
tier-major = 主要客户
tier-ordinary = 普通客户
tier-small = 小客户
rfm-champions = 最佳客户
rfm-loyal = 忠诚客户
rfm-cannot-lose = 不能失去
rfm-at-risk = 有流失风险
rfm-new-or-promising = 新客户或有潜力
rfm-needs-attention = 需要关注
rfm-lapsed = 已流失
churn-low = 低
churn-medium = 中
churn-high = 高

## 客户价值页
nav-value = 客户价值
value-none-yet = 尚无价值分析。系统每晚 02:00（UTC）自动运行，也可立即运行 `rapport analyze`。
value-as-of = 分析日期：{ $when }
value-pareto = 收入集中度（二八法则）
value-window = 时间范围
value-window-all = 全部历史
value-window-years = { $count ->
   *[other] 最近 { $n } 年
}
value-window-days = 最近 { $n } 天
value-lorenz = 洛伦兹曲线：客户占比（由小到大）与收入占比
value-top-k-mark = 前 { $k }%
value-top-20 = 前 20% 客户贡献
value-gini = 基尼系数
value-top-k-label = 前 %（客户）贡献的收入占比
value-show = 显示
value-tiers = 价值等级
value-guest-share = 客户占比
value-revenue-share = 收入占比
value-profiles = 各类客户画像
value-segment = 分群
value-nights = 每次入住晚数
value-adr = 平均房价
value-lead = 提前预订天数
value-channel = 主要渠道
value-market = 主要细分市场
value-room = 主要房型
value-extras = 客房以外消费
value-requests = 特殊要求
value-peak = 最旺月份
value-returning = 回头客
value-not-recorded = 未记录
value-cohorts = 按首次入住季度的留存
value-cohorts-help = 每行：首次入住在该季度的客户；每列：此后第几个季度再次入住的客户占比。
value-first-stay = 首次入住
value-quarter = { $quarter }
value-at-risk = 有流失风险的高价值客户
value-at-risk-help = 模型判定流失风险高、或 RFM 显示已不再光顾的 VIP 客户和主要客户，按收入从高到低。
value-at-risk-none = 暂无有流失风险的高价值客户。
value-guest = 客户
value-last-stay = 最近入住
value-fit = 模型拟合
value-holdout = 最近 { $weeks } 周，模型预测回头入住 { $predicted } 次；实际 { $actual } 次。
value-no-model = 该范围无法建立生命周期价值模型：{ $reason }
value-left-out = 因缺少汇率，以下酒店未计入集团数据：{ $hotels }
value-window-guests = 该时间范围内的客户
benefits = 专属礼遇
benefit-discount = 最优房价基础上优惠 { $percent }%
benefit-gift = 礼品：{ $gift }
benefit-upgrade = 升级：{ $upgrade }
benefit-late-checkout = 延迟退房至 { $time }
benefit-credit = 挂账：{ $terms }
