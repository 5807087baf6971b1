"héllo wörld 😀"
