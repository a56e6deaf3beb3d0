"""How many teachers, and the Chinese words and training-hour plans their records are made of."""

import datetime
from dataclasses import dataclass

from ..models import Lecture, Level

DEMO_TEACHERS = 8
TZ = datetime.timezone(datetime.timedelta(hours=8))

TOPICS = {
    "语文": ["《落花生》", "《草船借箭》", "《圆明园的毁灭》", "《桂林山水》", "《秋天的雨》",
             "《四季之美》", "《鸟的天堂》", "《将相和》", "《搭船的鸟》", "《少年中国说》"],
    "数学": ["《分数的初步认识》", "《圆的面积》", "《鸡兔同笼》", "《平行四边形的面积》",
             "《确定位置》", "《百分数的意义》", "《三角形的内角和》", "《认识人民币》"],
    "英语": ["Unit 3 At the zoo", "Unit 5 My clothes", "Unit 2 Ways to go to school",
             "Unit 4 Then and now", "Unit 6 Meet my family"],
    "科学": ["《水的三态变化》", "《简单电路》", "《植物的一生》", "《声音的产生》",
             "《地球的运动》"],
}  # fmt: skip
GENERIC_TOPICS = ["《{s}课堂教学展示》", "《{s}综合实践活动》", "《{s}大单元复习课》"]
THEMES = [
    "大单元整体教学设计的实践研究",
    "“双减”背景下作业设计的优化",
    "核心素养导向的课堂提问策略",
    "学习任务群视域下的阅读教学",
    "基于课堂观察的学生深度学习",
]
PLACES = ["三楼录播教室", "学术报告厅", "多功能厅", "四年级（2）班教室", "五年级（1）班教室"]
# 送课下乡 goes to village and township schools of the rural counties around the city.
OUTREACH_SCHOOLS = ["闽侯县廷坪乡中心小学", "永泰县嵩口镇中心小学", "罗源县起步镇中心小学"]
# When open classes start: periods of the school day (8:00–11:30, 14:00–16:30).
CLASS_TIMES = [(8, 10), (9, 5), (10, 15), (14, 30), (15, 25)]
PAPER_TITLES = [
    "核心素养视域下小学{s}大单元教学的实践与思考",
    "“双减”背景下小学{s}分层作业设计探究",
    "基于学习任务群的小学{s}课堂教学案例",
    "信息技术与小学{s}教学深度融合的策略研究",
    "小学{s}课堂追问的有效性研究",
]
VENUES = ["《福建教育》", "《小学教学参考》", "《福州教育研究》", "鼓楼区教育教学论文评选",
          "福州市基础教育教学成果评选"]  # fmt: skip
LECTURES = [
    ("如何上好一节家常课", Lecture.Audience.GRADE_GROUP),
    ("大单元教学设计的几点思考", Lecture.Audience.WHOLE_STAFF),
    ("新课标背景下的作业设计", Lecture.Audience.FORUM),
    ("青年教师如何做好教学反思", Lecture.Audience.WHOLE_STAFF),
    ("从一节课看课堂评价的变化", Lecture.Audience.DISTRICT),
]
SCHOOL_TRAININGS = [
    "校本培训：新课程标准解读", "校本培训：课堂观察量表的使用", "校本培训：班主任工作经验交流",
    "校本培训：信息技术2.0应用能力提升", "校本培训：师德师风专题学习", "校本培训：教学案例撰写",
    "校本培训：作业设计工作坊", "校本培训：心理健康教育",
]  # fmt: skip
OTHER_TRAININGS = [
    ("鼓楼区小学骨干教师研修班", Level.DISTRICT),
    ("福州市中小学教师暑期全员培训", Level.MUNICIPAL),
    ("国家中小学智慧教育平台寒假研修", Level.NATIONAL),
    ("福建省中小学骨干教师网络研修", Level.PROVINCIAL),
    ("鼓楼区新课标专题培训", Level.DISTRICT),
]
# Trainings held in a holiday: the word in the course name says which one.
HOLIDAY_TRAININGS = {"暑期": "summer", "寒假": "winter"}
BOOKS = ["《给教师的建议》", "《教学勇气》", "《静悄悄的革命》", "《第56号教室的奇迹》",
         "《学习的本质》", "《追求理解的教学设计》", "《可见的学习》",
         "《课程的逻辑》"]  # fmt: skip
REFLECTION = (
    "读{book}，印象最深的是把学生放在课堂中央。对照自己的课堂，提问多、等待少，"
    "学生真正思考的时间不够。下阶段准备在每节课设计一个核心问题，并留出独立思考和小组交流的时间，"
    "课后用学生的作业和访谈检验效果。"
)
TRIPS = [
    ("上海市静安区教育学院附属学校", "参加长三角小学{s}课堂教学观摩研讨会"),
    ("杭州市天长小学", "学习“基于学习任务群”的教学改革经验"),
    ("南京市琅琊路小学", "参加全国小学{s}教学改革研讨活动"),
]
OUTSIDERS = [("陈晓燕", "福州市实验小学"), ("林海峰", "福州教育学院附属第一小学"),
             ("黄丽华", "鼓楼区第二中心小学")]  # fmt: skip
RETURN_REASONS = [
    "内容过于简单，请补充教学环节的评析和自己的思考。",
    "请补充发表刊物的刊号和期数后再提交。",
    "日期与学校活动安排不一致，请核对后重新提交。",
    "请写明培训的主办单位，并补充培训证书。",
]


@dataclass(frozen=True)
class HoursPlan:
    """Verified training hours (total, school-based) in the previous and current school
    year, and hours still awaiting verification this year."""

    previous: tuple[str, str]
    current: tuple[str, str]
    pending: str = "0"


# The teacher login first: close to the mark, with hours awaiting verification. Then one
# teacher short of school-based hours only, one half an hour short, one exactly on the mark.
HOURS_PLANS = [
    HoursPlan(previous=("76", "28"), current=("60", "24"), pending="12"),
    HoursPlan(previous=("80", "30"), current=("72", "22")),
    HoursPlan(previous=("66", "24"), current=("71.5", "24")),
    HoursPlan(previous=("74", "26"), current=("72", "24")),
    HoursPlan(previous=("72", "24"), current=("40", "12"), pending="6"),
    HoursPlan(previous=("90", "32"), current=("48", "18")),
    HoursPlan(previous=("72", "20"), current=("30", "9")),
    HoursPlan(previous=("78", "24"), current=("36", "15"), pending="8"),
]
LESSONS = ["《落花生》第二课时", "《秋天的雨》", "分数的初步认识", "《观潮》", "长方形的面积"]
LESSON_REFLECTION = (
    "{lesson}这节课，导入用时过长，学生的小组讨论没有充分展开。"
    "下次把核心问题提前抛出，给学生留足独立思考的时间。"
)
