"""Tangerine Market (감귤마켓)."""

import os

# OpenCV reads its decode pixel cap once, when cv2 is first imported, by whichever module that
# is (a test helper, a demo seeder...). Arm it when our package loads, before anything can import
# cv2; integrations/imaging.py re-asserts the same value. OpenCV's default (~1 gigapixel) lets a
# 400-megapixel PNG bomb through.
OPENCV_MAX_DECODE_PIXELS = 50_000_000
os.environ["OPENCV_IO_MAX_IMAGE_PIXELS"] = str(OPENCV_MAX_DECODE_PIXELS)
