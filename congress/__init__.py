"""congress: theo dõi tiến độ đại hội đảng bộ các cấp nhiệm kỳ 2025–2030."""
