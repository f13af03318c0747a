print("gameday")
